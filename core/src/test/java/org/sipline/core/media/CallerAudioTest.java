package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.core.media.MediaRig.drain;
import static org.sipline.core.media.MediaRig.only;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G711;
import org.sipline.core.audio.Interpolator;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.testing.TestWavs;

/** The caller's side of a stream: positions, gaps, a slow reader, formats, DTMF in. */
class CallerAudioTest {
  private static short[] ramp(int from, int length) {
    short[] s = new short[length];
    for (int i = 0; i < length; i++) {
      s[i] = (short) (from + i);
    }
    return s;
  }

  private static short[] samples(byte[] le) {
    short[] s = new short[le.length / 2];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) ((le[2 * i] & 0xff) | (le[2 * i + 1] << 8));
    }
    return s;
  }

  private static MediaStream listen(MediaRig rig, AudioFormat format, int frameMs, int lagMs) {
    return rig.hub.listen(new ListenOptions(CallSelector.CURRENT, format, frameMs, lagMs));
  }

  @Test
  void theFirstPacketIsAnchoredWhereTheTimelineStandsAndPositionsRunOnWithoutJumps() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = listen(rig, null, 0, 0);
      rig.tick(7); // the bot's side has run 7 frames when the caller's first packet comes
      rig.media.sink().write(ramp(1, 160), 0, 160);
      rig.media.sink().missing(160); // one packet lost
      rig.media.sink().write(ramp(500, 160), 0, 160);
      List<MediaEvent.AudioIn> in = only(drain(s), MediaEvent.AudioIn.class);
      assertThat(in).extracting(MediaEvent.AudioIn::position).containsExactly(1120L, 1280L, 1440L);
      assertThat(in).extracting(MediaEvent.AudioIn::concealedSamples).containsExactly(0, 160, 0);
      assertThat(samples(in.get(0).data())).containsExactly(ramp(1, 160));
      assertThat(samples(in.get(1).data())).containsOnly((short) 0);
      assertThat(samples(in.get(2).data())).containsExactly(ramp(500, 160));
      assertThat(in).extracting(MediaEvent.AudioIn::droppedSamples).containsOnly(0L);
    }
  }

  @Test
  void eventsAreReframedToTheAskedDurationWhateverThePacketSize() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = listen(rig, null, 50, 0);
      short[] audio = ramp(1, 1000);
      for (int at = 0; at < audio.length; at += 160) {
        int n = Math.min(160, audio.length - at);
        rig.media.sink().write(audio, at, n);
      }
      List<MediaEvent.AudioIn> in = only(drain(s), MediaEvent.AudioIn.class);
      assertThat(in).extracting(a -> a.data().length).containsExactly(800, 800);
      assertThat(in).extracting(MediaEvent.AudioIn::position).containsExactly(0L, 400L);
      rig.call.ended(0, "BYE"); // the rest comes out at the end
      List<MediaEvent> end = drain(s);
      MediaEvent.AudioIn last = only(end, MediaEvent.AudioIn.class).get(0);
      assertThat(last.position()).isEqualTo(800);
      assertThat(samples(last.data())).containsExactly(ramp(801, 200));
    }
  }

  @Test
  void aSlowReaderLosesTheOldestFramesWithTheGapReportedAndControlEventsKept() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = listen(rig, null, 20, 100); // 100 ms: five frames
      drain(s);
      for (int f = 0; f < 50; f++) { // one second the reader does not take
        rig.media.sink().write(ramp(f * 160, 160), 0, 160);
        if (f == 10) {
          rig.media.sink().dtmf(DtmfEvent.start('5', DtmfMethod.RFC4733));
        }
      }
      List<MediaEvent> events = drain(s);
      assertThat(only(events, MediaEvent.Dtmf.class)).hasSize(1); // never dropped
      List<MediaEvent.AudioIn> in = only(events, MediaEvent.AudioIn.class);
      assertThat(in).hasSize(5);
      assertThat(in.get(0).position()).isEqualTo(45 * 160);
      assertThat(in.get(0).droppedSamples()).isEqualTo(45 * 160);
      assertThat(samples(in.get(0).data())).containsExactly(ramp(45 * 160, 160));
      assertThat(in.subList(1, 5)).extracting(MediaEvent.AudioIn::droppedSamples).containsOnly(0L);
      rig.call.ended(0, "BYE");
      StreamCounters c = only(drain(s), MediaEvent.Statistics.class).get(0).counters();
      assertThat(c.framesDropped()).isEqualTo(45);
      assertThat(c.framesSent()).isEqualTo(5);
      assertThat(c.maxLagMs()).isEqualTo(100);
    }
  }

  @Test
  void g711FormatsCarryTheCodesAndLinear16IsLittleEndian() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream ulaw = listen(rig, new AudioFormat(AudioEncoding.MULAW, 0), 0, 0);
      MediaStream alaw = listen(rig, new AudioFormat(AudioEncoding.ALAW, 8000), 0, 0);
      short[] tone = TestWavs.sineSamples(8000, 440, 20, 0.5);
      rig.media.sink().write(tone, 0, tone.length);
      byte[] u = new byte[160];
      G711.encodeUlaw(tone, 0, u, 0, 160);
      byte[] a = new byte[160];
      G711.encodeAlaw(tone, 0, a, 0, 160);
      assertThat(only(drain(ulaw), MediaEvent.AudioIn.class).get(0).data()).containsExactly(u);
      assertThat(only(drain(alaw), MediaEvent.AudioIn.class).get(0).data()).containsExactly(a);
    }
  }

  @Test
  void linear16AboveEightKilohertzIsInterpolatedAndLabelledWithWhatItStandsFor() {
    for (int rate : new int[] {16000, 24000, 48000}) {
      try (MediaRig rig = new MediaRig().connected()) {
        MediaStream s = listen(rig, new AudioFormat(AudioEncoding.LINEAR16, rate), 20, 0);
        int factor = rate / 8000;
        int delay = Interpolator.fromCodecRate(rate).delay();
        short[] tone = TestWavs.sineSamples(8000, 1000, 500, 0.5);
        for (int at = 0; at < tone.length; at += 160) {
          rig.media.sink().write(tone, at, 160);
        }
        rig.call.ended(0, "BYE");
        List<MediaEvent.AudioIn> in = only(drain(s), MediaEvent.AudioIn.class);
        // The first is shorter by the filter's delay; then every event is 20 ms; nothing is lost.
        assertThat(in.get(0).position()).isZero();
        assertThat(in.get(0).data()).hasSize((160 - delay) * factor * 2);
        assertThat(in.get(1).position()).isEqualTo(160 - delay);
        assertThat(in.get(1).data()).hasSize(160 * factor * 2);
        long expected = 0;
        List<Short> all = new ArrayList<>();
        for (MediaEvent.AudioIn a : in) {
          assertThat(a.position()).isEqualTo(expected);
          expected += a.data().length / 2 / factor;
          for (short v : samples(a.data())) {
            all.add(v);
          }
        }
        assertThat(expected).isEqualTo(tone.length);
        // Sample n stands for time n / rate: compared with the ideal tone there.
        double amplitude = 0.5 * 32767;
        double error = 0;
        double signal = 0;
        for (int n = 400; n < all.size() - 400; n++) {
          double ideal = amplitude * Math.sin(2 * Math.PI * 1000 * n / (double) rate);
          error += (all.get(n) - ideal) * (all.get(n) - ideal);
          signal += ideal * ideal;
        }
        assertThat(10 * Math.log10(error / signal)).as("%d Hz: error dB", rate).isLessThan(-40);
      }
    }
  }

  @Test
  void digitsReachEveryStreamWithWhereTheyBeganAndHowLongTheyLasted() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream writer = rig.hub.converse(ConverseOptions.defaults(CallSelector.CURRENT));
      MediaStream tap = listen(rig, null, 0, 0);
      drain(writer);
      drain(tap);
      rig.media.sink().write(new short[800], 0, 800);
      rig.media.sink().dtmf(DtmfEvent.start('7', DtmfMethod.RFC4733));
      rig.media.sink().write(new short[960], 0, 960);
      rig.media.sink().dtmf(DtmfEvent.end('7', 120, DtmfMethod.RFC4733));
      rig.media.sink().dtmf(DtmfEvent.start('#', DtmfMethod.SIP_INFO));
      rig.media.sink().dtmf(DtmfEvent.end('#', 100, DtmfMethod.SIP_INFO));
      for (MediaStream s : List.of(writer, tap)) {
        List<MediaEvent.Dtmf> digits = only(drain(s), MediaEvent.Dtmf.class);
        assertThat(digits)
            .extracting(
                d ->
                    d.digit()
                        + (d.end() ? "/end " : "/start ")
                        + d.position()
                        + " "
                        + d.durationMs()
                        + " "
                        + d.source())
            .containsExactly(
                "7/start 800 0 RFC4733",
                "7/end 800 120 RFC4733",
                "#/start 1760 0 SIP_INFO",
                "#/end 1760 100 SIP_INFO");
      }
      rig.call.ended(0, "BYE");
      assertThat(only(drain(tap), MediaEvent.Statistics.class).get(0).counters().digitsIn())
          .isEqualTo(2);
    }
  }

  @Test
  void aListenStreamCannotSpeak() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream tap = listen(rig, null, 0, 0);
      assertThat(tap.resumeToken()).isEmpty();
      assertThatThrownBy(() -> tap.audio("u", new byte[2], false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Listen");
      assertThatThrownBy(() -> tap.clear(""))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Listen");
    }
  }
}

package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.core.media.MediaRig.drain;
import static org.sipline.core.media.MediaRig.le;
import static org.sipline.core.media.MediaRig.only;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.Decimator;
import org.sipline.core.audio.G711;
import org.sipline.core.audio.Interpolator;
import org.sipline.core.spi.AudioFrames;
import org.sipline.testing.TestWavs;

/**
 * A call whose audio runs at 16 kHz (G.722): frames of 320 samples, the timeline counting 16 kHz
 * samples, bot audio resampled up or down to it, caller audio handed out at the stream's rate.
 */
class WidebandCallTest {
  private static final int RATE = 16_000;
  private static final double AMPLITUDE = 0.5 * 32767;

  private static short[] samples(byte[] le) {
    short[] s = new short[le.length / 2];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) ((le[2 * i] & 0xff) | (le[2 * i + 1] << 8));
    }
    return s;
  }

  /** Error of {@code got[from, to)} against a 1 kHz sine at {@code rate}, in dB below it. */
  private static double errorDb(short[] got, int rate, int from, int to) {
    double error = 0;
    double signal = 0;
    for (int n = from; n < to; n++) {
      double ideal = AMPLITUDE * Math.sin(2 * Math.PI * 1000 * n / (double) rate);
      error += (got[n] - ideal) * (got[n] - ideal);
      signal += ideal * ideal;
    }
    return 10 * Math.log10(error / signal);
  }

  @Test
  void botAudioInEveryFormatIsResampledToTheCallsRate() {
    for (AudioFormat f :
        List.of(
            new AudioFormat(AudioEncoding.LINEAR16, 0),
            new AudioFormat(AudioEncoding.LINEAR16, 8000),
            new AudioFormat(AudioEncoding.LINEAR16, 48000),
            new AudioFormat(AudioEncoding.MULAW, 0))) {
      try (MediaRig rig = new MediaRig().atRate(RATE).connected()) {
        MediaStream s =
            rig.hub.converse(
                new ConverseOptions(CallSelector.CURRENT, null, f, 0, 0, 0, 0, false, ""));
        MediaEvent.Opened opened = only(drain(s), MediaEvent.Opened.class).get(0);
        assertThat(opened.timelineRate()).isEqualTo(RATE);
        int rate = opened.outbound().sampleRate();
        int asked = f.encoding() == AudioEncoding.MULAW ? 8000 : f.sampleRate();
        assertThat(rate).as("%s granted", f).isEqualTo(asked == 0 ? RATE : asked);
        short[] tone = TestWavs.sineSamples(rate, 1000, 400, 0.5);
        byte[] bytes;
        if (f.encoding() == AudioEncoding.LINEAR16) {
          bytes = le(tone);
        } else {
          bytes = new byte[tone.length];
          G711.encodeUlaw(tone, 0, bytes, 0, tone.length);
        }
        for (int at = 0; at < bytes.length; at += 777) {
          s.audio("u", Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 777)), false);
        }
        s.audio("u", new byte[0], true);
        rig.tick(25);
        assertThat(rig.frames).allSatisfy(frame -> assertThat(frame).hasSize(320));
        short[] sent = rig.sentAudio();
        assertThat(errorDb(sent, RATE, 400, 6000)).as("%s: error dB", f).isLessThan(-30);
        // 400 ms at 16 kHz: the utterance ends after 6400 samples, the timeline says so.
        List<MediaEvent.Playout> ends =
            only(drain(s), MediaEvent.Playout.class).stream()
                .filter(MediaEvent.Playout::utteranceEnded)
                .toList();
        assertThat(ends)
            .extracting(MediaEvent.Playout::utterancePlayedSamples)
            .containsExactly(6400L);
      }
    }
  }

  @Test
  void callerAudioComesAtTheStreamsRateWithPositionsInTheCallsSamples() {
    short[] caller = TestWavs.sineSamples(RATE, 1000, 400, 0.5);
    for (AudioFormat f :
        List.of(
            new AudioFormat(AudioEncoding.LINEAR16, 0),
            new AudioFormat(AudioEncoding.MULAW, 0),
            new AudioFormat(AudioEncoding.LINEAR16, 8000),
            new AudioFormat(AudioEncoding.LINEAR16, 48000))) {
      try (MediaRig rig = new MediaRig().atRate(RATE).connected()) {
        MediaStream s = rig.hub.listen(new ListenOptions(CallSelector.CURRENT, f, 0, 0));
        rig.tick(3);
        for (int at = 0; at < caller.length; at += 320) {
          rig.media.sink().write(caller, at, 320);
        }
        List<MediaEvent.AudioIn> in = only(drain(s), MediaEvent.AudioIn.class);
        assertThat(in.get(0).position()).isEqualTo(3 * 320L);
        assertThat(in).extracting(MediaEvent.AudioIn::position).isSorted();
        int rate =
            f.sampleRate() == 0
                ? (f.encoding() == AudioEncoding.LINEAR16 ? RATE : 8000)
                : f.sampleRate();
        short[] got = new short[0];
        for (MediaEvent.AudioIn e : in) {
          short[] part;
          if (f.encoding() == AudioEncoding.MULAW) {
            part = new short[e.data().length];
            G711.decodeUlaw(e.data(), 0, part, 0, part.length);
          } else {
            part = samples(e.data());
          }
          int was = got.length;
          got = Arrays.copyOf(got, was + part.length);
          System.arraycopy(part, 0, got, was, part.length);
        }
        // The first output stands for the first input's time: a 1 kHz sine from phase 0.
        int margin = rate / 100;
        assertThat(errorDb(got, rate, margin, got.length - margin))
            .as("%s: error dB", f)
            .isLessThan(-30);
        if (rate == RATE) {
          assertThat(got).startsWith(Arrays.copyOf(caller, 320));
        }
      }
    }
  }

  @Test
  void aClientRateThatIsNoIntegerRatioOfTheCallsIsGrantedAtTheCallsRate() {
    try (MediaRig rig = new MediaRig().atRate(RATE).connected()) {
      MediaStream s =
          rig.hub.listen(
              new ListenOptions(
                  CallSelector.CURRENT, new AudioFormat(AudioEncoding.LINEAR16, 24000), 0, 0));
      MediaEvent.Opened opened = only(drain(s), MediaEvent.Opened.class).get(0);
      assertThat(opened.inbound()).isEqualTo(new AudioFormat(AudioEncoding.LINEAR16, RATE));
    }
  }

  @Test
  void playbackResultsCountMillisecondsAtTheCallsRate() {
    PlaybackResult r = new PlaybackResult(8000, 32000, PlaybackResult.Outcome.CANCELLED, RATE);
    assertThat(r.playedMillis()).isEqualTo(500);
    assertThat(r.totalMillis()).isEqualTo(2000);
    assertThat(new PlaybackResult(8000, 8000, PlaybackResult.Outcome.PLAYED).totalMillis())
        .isEqualTo(1000);
    assertThatThrownBy(() -> new PlaybackResult(1, 2, PlaybackResult.Outcome.PLAYED, 11025))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("11025");
  }

  @Test
  void framesAndRatesOutsideTheCallRatesAreRefused() {
    assertThat(AudioFrames.frameSamples(48000)).isEqualTo(960);
    assertThatThrownBy(() -> AudioFrames.frameSamples(44100))
        .hasMessageContaining("44100 Hz: a call runs at 8000, 16000, 24000 or 48000");
    try (MediaRig rig = new MediaRig().connected()) {
      assertThatThrownBy(() -> rig.source.read(new short[100]))
          .hasMessage("frame length 100 != 160");
    }
    assertThatThrownBy(() -> Decimator.between(16000, 24000)).hasMessageContaining("24000 Hz");
    assertThatThrownBy(() -> Decimator.between(16000, 16000)).hasMessageContaining("16000 Hz");
    assertThatThrownBy(() -> Decimator.between(16000, 0)).hasMessageContaining("0 Hz");
    assertThatThrownBy(() -> Decimator.between(56000, 8000)).hasMessageContaining("56000 Hz");
    assertThatThrownBy(
            () -> Decimator.between(16000, 8000).process(new short[3], 0, 3, new short[3], 0))
        .hasMessageContaining("3 samples");
    assertThat(Decimator.between(48000, 16000).factor()).isEqualTo(3);
    assertThatThrownBy(() -> Interpolator.between(16000, 24000)).hasMessageContaining("24000 Hz");
    assertThatThrownBy(() -> Interpolator.between(0, 24000)).hasMessageContaining("0 Hz");
    assertThatThrownBy(() -> Interpolator.between(8000, 8000)).hasMessageContaining("8000 Hz");
    assertThatThrownBy(() -> Interpolator.between(8000, 56000)).hasMessageContaining("56000 Hz");
  }
}

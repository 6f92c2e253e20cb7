package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.core.media.MediaRig.FRAME;
import static org.sipline.core.media.MediaRig.constant;
import static org.sipline.core.media.MediaRig.drain;
import static org.sipline.core.media.MediaRig.le;
import static org.sipline.core.media.MediaRig.only;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.InvalidArgumentException;
import org.sipline.testing.TestWavs;

/** A Converse writer's side, one rule per test, with the test as the pacer. */
class ConverseStreamTest {
  private static MediaStream open(MediaRig rig) {
    return rig.hub.converse(ConverseOptions.defaults(CallSelector.CURRENT));
  }

  @Test
  void opensWithOpenedThenConnectedNamingTheCallAndFormats() {
    try (MediaRig rig = new MediaRig().connected()) {
      rig.tick(3);
      MediaStream s = open(rig);
      List<MediaEvent> events = drain(s);
      assertThat(events.get(0)).isInstanceOf(MediaEvent.Opened.class);
      MediaEvent.Opened o = (MediaEvent.Opened) events.get(0);
      assertThat(o.sequence()).isEqualTo(1);
      assertThat(o.callId()).isEqualTo(rig.call.callId());
      assertThat(o.codec()).isEqualTo("PCMU");
      assertThat(o.timelineRate()).isEqualTo(8000);
      assertThat(o.inbound()).isEqualTo(new AudioFormat(AudioEncoding.LINEAR16, 8000));
      assertThat(o.outbound()).isEqualTo(new AudioFormat(AudioEncoding.LINEAR16, 8000));
      assertThat(o.resumeToken()).isNotEmpty().isEqualTo(s.resumeToken());
      assertThat(o.resumeGraceMs()).isEqualTo(10_000);
      assertThat(o.position()).isEqualTo(3 * FRAME);
      assertThat(o.resumed()).isFalse();
      assertThat(events.get(1))
          .isEqualTo(
              new MediaEvent.CallState(
                  2, MediaEvent.CallState.State.CONNECTED, 0, "connected", 3 * FRAME));
      assertThat(events).hasSize(2);
    }
  }

  @Test
  void audioPlaysBackToBackAndAMarkResolvesRightAfterTheFrameHoldingItIsSent() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = open(rig);
      drain(s);
      short[] speech = new short[460];
      for (int i = 0; i < speech.length; i++) {
        speech[i] = (short) (i + 1);
      }
      s.audio("u1", le(Arrays.copyOf(speech, 250)), false);
      s.audio("u1", le(Arrays.copyOfRange(speech, 250, 460)), true);
      s.mark("after-u1");
      rig.source.read(new short[FRAME]);
      rig.source.read(new short[FRAME]); // the first frame counts as sent: read again
      rig.source.read(new short[FRAME]);
      assertThat(only(drain(s), MediaEvent.MarkResolved.class)).as("frame 3 not sent").isEmpty();
      rig.source.sent(true);
      List<MediaEvent> events = drain(s);
      assertThat(only(events, MediaEvent.MarkResolved.class))
          .containsExactly(new MediaEvent.MarkResolved(3, "after-u1", MarkOutcome.PLAYED, 460));
      MediaEvent.Playout end = only(events, MediaEvent.Playout.class).get(0);
      assertThat(end.utteranceEnded()).isTrue();
      assertThat(end.utteranceId()).isEqualTo("u1");
      assertThat(end.utterancePlayedSamples()).isEqualTo(460);
      assertThat(end.position()).isEqualTo(460);
    }
  }

  @Test
  void aPacketThatCouldNotBeSentIsReadAgainAndItsMarkWaits() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = open(rig);
      drain(s);
      s.audio("u1", le(constant(100, 7)), true);
      s.mark("m");
      rig.tickNotOnWire();
      assertThat(only(drain(s), MediaEvent.MarkResolved.class)).isEmpty();
      rig.tick(1);
      // The audio went out in the next frame, whole; the mark stands after it there.
      assertThat(Arrays.copyOf(rig.frames.get(0), 100)).containsOnly((short) 7);
      assertThat(only(drain(s), MediaEvent.MarkResolved.class))
          .extracting(MediaEvent.MarkResolved::position)
          .containsExactly((long) FRAME + 100);
    }
  }

  @Test
  void clearFadesTheInterruptedUtteranceAndReportsExactlyWhatWasPlayed() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = open(rig);
      drain(s);
      s.audio("u1", le(constant(2000, 16000)), true);
      s.mark("m1");
      s.audio("u2", le(constant(500, 9000)), false);
      s.mark("m2");
      s.audio("u3", le(constant(500, 5000)), false);
      rig.tick(2);
      s.clear("u2");
      rig.tick(1);
      List<MediaEvent> events = drain(s);
      short[] third = rig.frames.get(2);
      // A 4 ms ramp down, then u3 at once.
      for (int i = 0; i < Utterance.FADE; i++) {
        assertThat(third[i]).isEqualTo((short) (16000 * (Utterance.FADE - i) / Utterance.FADE));
      }
      assertThat(Arrays.copyOfRange(third, Utterance.FADE, FRAME)).containsOnly((short) 5000);
      assertThat(only(events, MediaEvent.MarkResolved.class))
          .containsExactly(
              new MediaEvent.MarkResolved(3, "m1", MarkOutcome.CLEARED, 2 * FRAME + 32),
              new MediaEvent.MarkResolved(4, "m2", MarkOutcome.CLEARED, 2 * FRAME + 32));
      MediaEvent.Cleared cleared = only(events, MediaEvent.Cleared.class).get(0);
      assertThat(cleared.throughUtterance()).isEqualTo("u2");
      assertThat(cleared.interruptedUtterance()).isEqualTo("u1");
      assertThat(cleared.playedSamples()).isEqualTo(2 * FRAME + 32);
      assertThat(cleared.position()).isEqualTo(2 * FRAME + 32);
      assertThat(cleared.clearedUtterances()).containsExactly("u1", "u2");
      assertThat(cleared.droppedSamples()).isEqualTo(2000 - 2 * FRAME - 32 + 500);
      assertThat(s.resumeToken()).isNotEmpty();
    }
  }

  @Test
  void chunksOfAClearedUtteranceArrivingLaterAreRefusedAsFenced() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = open(rig);
      drain(s);
      s.audio("u1", le(constant(400, 100)), false);
      s.clear("u1");
      s.audio("u1", le(constant(400, 100)), false);
      rig.tick(1);
      s.audio("u2", le(constant(100, 200)), true);
      rig.tick(1);
      List<MediaEvent> events = drain(s);
      MediaEvent.AudioRejected refused = only(events, MediaEvent.AudioRejected.class).get(0);
      assertThat(refused.utteranceId()).isEqualTo("u1");
      assertThat(refused.bytes()).isEqualTo(800);
      assertThat(refused.reason()).contains("fenced");
      assertThat(rig.frames.get(0)).containsOnly((short) 0);
      assertThat(Arrays.copyOf(rig.frames.get(1), 100)).containsOnly((short) 200);
    }
  }

  @Test
  void badRequestsNameTheFieldAndLoseNothingQueued() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = open(rig);
      drain(s);
      s.audio("u1", le(constant(300, 1234)), true);
      s.mark("m");
      assertThatThrownBy(() -> s.audio("u2", new byte[64 * 1024 + 1], false))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("audio.data: 65537 bytes");
      assertThatThrownBy(() -> s.audio("", new byte[2], false))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("audio.utterance_id: empty");
      assertThatThrownBy(() -> s.mark(""))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("mark.id: empty");
      assertThatThrownBy(() -> s.mark("m"))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("mark.id: 'm' was used before");
      assertThatThrownBy(() -> s.clear("nobody"))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("clear.through_utterance: unknown utterance 'nobody'");
      assertThatThrownBy(() -> s.sendDtmf("12x", 0, 0))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("send_dtmf.digits: 'x' at index 2");
      assertThatThrownBy(() -> s.sendDtmf("1", 39, 0))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("send_dtmf.duration_ms: 39 ms");
      assertThatThrownBy(() -> s.sendDtmf("1", 0, 2001))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("send_dtmf.gap_ms: 2001 ms");
      rig.tick(2);
      assertThat(Arrays.copyOf(rig.frames.get(0), FRAME)).containsOnly((short) 1234);
      assertThat(Arrays.copyOf(rig.frames.get(1), 140)).containsOnly((short) 1234);
      assertThat(only(drain(s), MediaEvent.MarkResolved.class))
          .containsExactly(new MediaEvent.MarkResolved(3, "m", MarkOutcome.PLAYED, 300));
    }
  }

  @Test
  void oddLengthChunksKeepTheirTrailingByteForTheNextChunk() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = open(rig);
      drain(s);
      short[] speech = new short[301];
      for (int i = 0; i < speech.length; i++) {
        speech[i] = (short) (1000 - 7 * i);
      }
      byte[] bytes = le(speech);
      int at = 0;
      for (int n : new int[] {1, 3, 0, 7, 100, 1, 290}) {
        s.audio("u1", Arrays.copyOfRange(bytes, at, at + n), false);
        at += n;
      }
      s.audio("u1", Arrays.copyOfRange(bytes, at, bytes.length), true);
      rig.tick(2);
      assertThat(Arrays.copyOf(rig.sentAudio(), 301)).containsExactly(speech);
    }
  }

  @Test
  void aChunkOverTheCapIsRefusedAndFlowControlGoesOffAndOn() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s =
          rig.hub.converse(
              new ConverseOptions(CallSelector.CURRENT, null, null, 0, 0, 1000, 0, false, ""));
      drain(s);
      s.audio("u1", le(constant(6000, 1)), false); // 750 ms of 1000: under 80 %
      assertThat(only(drain(s), MediaEvent.Flow.class)).isEmpty();
      s.audio("u1", le(constant(1000, 1)), false); // 875 ms: over 80 %
      assertThat(only(drain(s), MediaEvent.Flow.class))
          .containsExactly(new MediaEvent.Flow(3, true, 875));
      s.audio("u1", le(constant(2000, 1)), false); // would be 1125 ms: refused, nothing lost
      MediaEvent.AudioRejected refused = only(drain(s), MediaEvent.AudioRejected.class).get(0);
      assertThat(refused.reason()).contains("queue full").contains("max_queued_ms 1000");
      assertThat(refused.queuedMs()).isEqualTo(875);
      rig.tick(19); // 7000 - 3040 = 3960 samples left: 495 ms, under half
      List<MediaEvent> events = drain(s);
      assertThat(only(events, MediaEvent.Flow.class))
          .containsExactly(
              new MediaEvent.Flow(events.get(events.size() - 1).sequence(), false, 495));
    }
  }

  @Test
  void anUtteranceRunningDryIsOneUnderrunPerDrySpellAndSilence() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = open(rig);
      drain(s);
      s.audio("u1", le(constant(200, 5)), false);
      rig.tick(4); // dry from frame 2 on: one spell
      s.audio("u1", le(constant(200, 5)), false);
      rig.tick(4); // another
      s.audio("u1", le(constant(320, 5)), true);
      rig.tick(3); // ends: no more spells
      assertThat(rig.frames.get(2)).containsOnly((short) 0);
      s.close();
      rig.tick(1);
      MediaEvent.Statistics stats = only(drain(s), MediaEvent.Statistics.class).get(0);
      assertThat(stats.counters().underruns()).isEqualTo(2);
      assertThat(stats.counters().playedSamples()).isEqualTo(720);
    }
  }

  @Test
  void pauseHoldsTheQueueAndResumeGoesOnWhereItStopped() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = open(rig);
      drain(s);
      short[] speech = new short[480];
      for (int i = 0; i < speech.length; i++) {
        speech[i] = (short) (i + 1);
      }
      s.audio("u1", le(speech), true);
      rig.tick(1);
      s.pause();
      rig.tick(5);
      s.resume();
      rig.tick(2);
      short[] sent = rig.sentAudio();
      assertThat(Arrays.copyOfRange(sent, FRAME, 6 * FRAME)).containsOnly((short) 0);
      assertThat(Arrays.copyOfRange(sent, 6 * FRAME, 8 * FRAME))
          .containsExactly(Arrays.copyOfRange(speech, FRAME, 3 * FRAME));
    }
  }

  @Test
  void linear16AtHigherRatesAndG711AreConvertedToTheCallsRate() {
    for (AudioFormat f :
        List.of(
            new AudioFormat(AudioEncoding.LINEAR16, 16000),
            new AudioFormat(AudioEncoding.LINEAR16, 48000),
            new AudioFormat(AudioEncoding.MULAW, 0),
            new AudioFormat(AudioEncoding.ALAW, 8000))) {
      try (MediaRig rig = new MediaRig().connected()) {
        MediaStream s =
            rig.hub.converse(
                new ConverseOptions(CallSelector.CURRENT, null, f, 0, 0, 0, 0, false, ""));
        drain(s);
        int rate = f.sampleRate() == 0 ? 8000 : f.sampleRate();
        short[] tone = TestWavs.sineSamples(rate, 1000, 400, 0.5);
        byte[] bytes;
        if (f.encoding() == AudioEncoding.LINEAR16) {
          bytes = le(tone);
        } else {
          bytes = new byte[tone.length];
          if (f.encoding() == AudioEncoding.MULAW) {
            org.sipline.core.audio.G711.encodeUlaw(tone, 0, bytes, 0, tone.length);
          } else {
            org.sipline.core.audio.G711.encodeAlaw(tone, 0, bytes, 0, tone.length);
          }
        }
        // Chunks of odd sizes: the stream's own framing must not matter.
        for (int at = 0; at < bytes.length; at += 777) {
          s.audio("u", Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 777)), false);
        }
        s.audio("u", new byte[0], true);
        rig.tick(25);
        short[] sent = rig.sentAudio();
        double amplitude = 0.5 * 32767;
        double error = 0;
        double signal = 0;
        for (int n = 200; n < 3000; n++) {
          double ideal = amplitude * Math.sin(2 * Math.PI * 1000 * n / 8000.0);
          error += (sent[n] - ideal) * (sent[n] - ideal);
          signal += ideal * ideal;
        }
        assertThat(10 * Math.log10(error / signal)).as("%s: error dB", f).isLessThan(-30);
      }
    }
  }
}

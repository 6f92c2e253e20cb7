package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.LineHarness.get;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.WavDecoder;
import org.sipline.testing.FakeCall;
import org.sipline.testing.TestWavs;

/** Playback through the line as the far end hears it: order, barge-in, mute, call end. */
class LinePlaybackTest {
  private static final byte[] A = TestWavs.sine(8000, 1, 440, 400, 0.5);
  private static final byte[] B = TestWavs.sine(8000, 1, 1000, 200, 0.3);

  private static int indexOf(short[] haystack, short[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static short[] concat(short[] a, short[] b) {
    short[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void requestsPlayInOrderBackToBackWithoutAGap() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.connectedOut();
      CompletableFuture<LineStatus> first = h.line.playWavFiles(List.of(A));
      CompletableFuture<LineStatus> second = h.line.playWavFiles(List.of(B));
      LineStatus b = get(second);
      assertThat(first).isDone();
      LineStatus a = get(first);
      assertThat(a.sequence()).isLessThan(b.sequence());
      assertThat(b.type()).isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
      short[] expected = concat(WavDecoder.toCodecRate(A), WavDecoder.toCodecRate(B));
      // The completion can overtake the fake's copy of the last frame: wait for it, bounded.
      StatusProbeAwait.until(() -> indexOf(call.sentAudio(), expected) >= 0);
    }
  }

  @Test
  void cancellingAPlayDropsItsUnplayedAudioAndTheNextStartsAtOnce() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.connectedOut();
      byte[] longA = TestWavs.sine(8000, 1, 440, 3000, 0.5);
      CompletableFuture<LineStatus> first = h.line.playWavFiles(List.of(longA));
      CompletableFuture<LineStatus> second = h.line.playWavFiles(List.of(B));
      int start = call.speechFrames();
      StatusProbeAwait.until(() -> call.speechFrames() >= start + 5);
      first.cancel(true);
      get(second);
      StatusProbeAwait.until(() -> indexOf(call.sentAudio(), WavDecoder.toCodecRate(B)) >= 0);
      // 3 s of A would be 150 frames; B is 10. Barge-in cut A short.
      assertThat(call.speechFrames() - start).isLessThan(100);
    }
  }

  @Test
  void mutedPlaybackIsSilentButTakesTheSameTime() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.connectedOut();
      int f0 = call.framesSent();
      get(h.line.playWavFiles(List.of(A)));
      int unmutedFrames = call.framesSent() - f0;

      get(h.line.mute());
      int samplesBefore = call.sentAudio().length;
      int f1 = call.framesSent();
      LineStatus played = get(h.line.playWavFiles(List.of(A)));
      int mutedFrames = call.framesSent() - f1;
      assertThat(played.description()).contains("while muted");
      short[] muted = Arrays.copyOfRange(call.sentAudio(), samplesBefore, call.sentAudio().length);
      assertThat(muted).containsOnly((short) 0);
      // 400 ms is 20 frames either way: muted audio is consumed frame by frame as if heard, not
      // skipped. (Only a lower bound: on a loaded machine the answer may come frames late.)
      assertThat(unmutedFrames).isGreaterThanOrEqualTo(19);
      assertThat(mutedFrames).isGreaterThanOrEqualTo(19);
    }
  }

  @Test
  void callEndingDuringPlaybackAnswersNoOngoingCallWithHowMuchWasPlayed() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.connectedOut();
      CompletableFuture<LineStatus> play =
          h.line.playWavFiles(List.of(TestWavs.sine(8000, 1, 440, 3000, 0.5)));
      int start = call.speechFrames();
      StatusProbeAwait.until(() -> call.speechFrames() >= start + 5);
      call.remoteBye();
      LineStatus answer = get(play);
      assertThat(answer.type()).isEqualTo(StatusType.NO_ONGOING_CALL);
      assertThat(answer.description()).matches(".*\\d+\\.\\d\\d s of 3\\.00 s played.*");
    }
  }
}

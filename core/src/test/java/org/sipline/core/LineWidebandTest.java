package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.LineHarness.get;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.WavDecoder;
import org.sipline.testing.FakeCall;
import org.sipline.testing.TestWavs;

/** SipPlayWavFiles on a 16 kHz (G.722) call: prompts resampled to the call's rate, not to 8 kHz. */
class LineWidebandTest {
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

  @Test
  void promptsPlayAtTheCallsRateAndTheirStatusCountsItsMilliseconds() {
    try (LineHarness h = new LineHarness()) {
      h.fake.audioRate(16000);
      FakeCall call = h.connectedOut();
      assertThat(call.audioRate()).isEqualTo(16000);
      byte[] wideband = TestWavs.sine(16000, 1, 5000, 400, 0.5);
      byte[] narrow = TestWavs.sine(8000, 1, 440, 200, 0.5);
      LineStatus first = get(h.line.playWavFiles(List.of(wideband)));
      assertThat(first.type()).isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
      assertThat(first.description()).contains("0.40 s of 0.40 s");
      LineStatus second = get(h.line.playWavFiles(List.of(narrow)));
      assertThat(second.description()).contains("0.20 s of 0.20 s");
      // A 5 kHz tone exists only above G.711's band: it went out sample for sample.
      StatusProbeAwait.until(
          () -> indexOf(call.sentAudio(), WavDecoder.toRate(narrow, 16000)) >= 0);
      assertThat(indexOf(call.sentAudio(), WavDecoder.toRate(wideband, 16000))).isNotNegative();
      assertThat(call.sentAudio().length % 320).isZero();
    }
  }
}

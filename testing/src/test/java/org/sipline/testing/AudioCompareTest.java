package org.sipline.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G711;

class AudioCompareTest {
  private static final int RATE = 8000;
  private static final Duration WINDOW = Duration.ofMillis(500);

  @Test
  void identicalSignalsMatchFullyWithoutLag() {
    short[] noise = TestSignals.noise(1, RATE, 8000);

    AudioCompare.Match match = AudioCompare.bestMatch(noise, noise, RATE, WINDOW);

    assertThat(match.correlation()).isCloseTo(1.0, within(1e-9));
    assertThat(match.lagSamples()).isZero();
  }

  @Test
  void delayedAndQuieterCopyIsFoundAtItsDelay() {
    short[] noise = TestSignals.noise(2, RATE, 8000);
    short[] quieter = new short[noise.length];
    for (int i = 0; i < noise.length; i++) {
      quieter[i] = (short) (noise[i] / 4);
    }
    short[] recorded = TestSignals.concat(TestSignals.silence(1000), quieter);

    AudioCompare.Match match = AudioCompare.bestMatch(noise, recorded, RATE, WINDOW);

    assertThat(match.lagSamples()).isEqualTo(1000);
    assertThat(match.lagMillis(RATE)).isEqualTo(125.0);
    assertThat(match.correlation()).isGreaterThan(0.999);
  }

  @Test
  void recordingThatStartsLateIsFoundAtANegativeLag() {
    short[] noise = TestSignals.noise(3, RATE, 8000);
    short[] recorded = java.util.Arrays.copyOfRange(noise, 400, noise.length);

    assertThat(AudioCompare.bestMatch(noise, recorded, RATE, WINDOW).lagSamples()).isEqualTo(-400);
  }

  @Test
  void g711RoundTripStillCorrelatesAbove095() {
    short[] noise = TestSignals.noise(4, RATE, 6000);
    byte[] ulaw = new byte[noise.length];
    short[] decoded = new short[noise.length];
    G711.encodeUlaw(noise, 0, ulaw, 0, noise.length);
    G711.decodeUlaw(ulaw, 0, decoded, 0, noise.length);

    assertThat(AudioCompare.bestMatch(noise, decoded, RATE, WINDOW).correlation())
        .isGreaterThan(0.95);
  }

  @Test
  void unrelatedNoiseDoesNotCorrelate() {
    short[] a = TestSignals.noise(5, RATE, 8000);
    short[] b = TestSignals.noise(6, RATE, 8000);

    assertThat(AudioCompare.bestMatch(a, b, RATE, WINDOW).correlation()).isLessThan(0.1);
  }

  @Test
  void silenceMatchesNothing() {
    short[] noise = TestSignals.noise(7, RATE, 8000);

    assertThat(AudioCompare.bestMatch(noise, TestSignals.silence(RATE), RATE, WINDOW).correlation())
        .isZero();
  }

  @Test
  void rmsOfASineIsItsPeakOverRootTwo() {
    short[] tone = TestSignals.tone(400, RATE, RATE, 10000);

    assertThat(AudioCompare.rms(tone, 0, tone.length)).isCloseTo(10000 / Math.sqrt(2), within(5.0));
    assertThat(AudioCompare.rms(tone, 10, 10)).isZero();
  }

  @Test
  void silentSpansFindTheGapBetweenTwoTones() {
    short[] signal =
        TestSignals.concat(
            TestSignals.tone(400, RATE, 1600, 8000),
            TestSignals.silence(2400),
            TestSignals.tone(400, RATE, 1600, 8000),
            TestSignals.silence(400));

    List<AudioCompare.Span> spans =
        AudioCompare.silentSpans(signal, RATE, 50, Duration.ofMillis(100));

    assertThat(spans).containsExactly(new AudioCompare.Span(1600, 4000));
    assertThat(spans.get(0).millis(RATE)).isEqualTo(300.0);
  }

  @Test
  void shortSilenceIsNotASpan() {
    short[] signal =
        TestSignals.concat(
            TestSignals.tone(400, RATE, 800, 8000),
            TestSignals.silence(400),
            TestSignals.tone(400, RATE, 800, 8000));

    assertThat(AudioCompare.silentSpans(signal, RATE, 50, Duration.ofMillis(100))).isEmpty();
  }

  @Test
  void emptyAudioIsRefusedWithItsSizes() {
    assertThatThrownBy(() -> AudioCompare.bestMatch(new short[0], new short[5], 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot correlate empty audio: reference 0 samples, recorded 5");
  }

  @Test
  void negativeLagWindowIsRefused() {
    short[] noise = TestSignals.noise(8, 100, 1000);

    assertThatThrownBy(() -> AudioCompare.bestMatch(noise, noise, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLagSamples < 0: -1");
  }

  @Test
  void edgeLagsWithLittleOverlapCannotWin() {
    // Only the last 200 samples of the recording equal the reference's first 200: a lag that
    // overlaps just there would score 1.0 if edge lags were allowed.
    short[] reference = TestSignals.noise(10, 1000, 1000);
    short[] recorded =
        TestSignals.concat(
            TestSignals.noise(11, 800, 1000), java.util.Arrays.copyOf(reference, 200));

    assertThat(AudioCompare.bestMatch(reference, recorded, 900).correlation()).isLessThan(0.2);
  }
}

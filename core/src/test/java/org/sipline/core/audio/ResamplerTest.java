package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipline.testing.TestWavs;

class ResamplerTest {
  private static final double AMPLITUDE = 0.5 * 32767;

  /** Output samples left out at each end, where the filter window reaches past the clip. */
  private static final int EDGE = 200;

  @Test
  void eightKilohertzIsCopiedUnchanged() {
    short[] in = TestWavs.sineSamples(8000, 440, 100, 0.7);
    short[] out = Resampler.toCodecRate(8000).resample(in);
    assertThat(out).containsExactly(in).isNotSameAs(in);
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        1000, 4000, 7999, 8001, 11025, 16000, 22050, 32000, 44100, 44101, 48000, 96000, 192000
      })
  void outputLengthIsTheInputDurationAtEightKilohertz(int rate) {
    Resampler resampler = Resampler.toCodecRate(rate);
    for (int length : new int[] {0, 1, 2, 3, 17, 160, 999, rate, rate + 1, 3 * rate / 2}) {
      long expected = Math.round(length * 8000.0 / rate);
      short[] out = resampler.resample(new short[length]);
      assertThat((long) out.length)
          .as("%d samples at %d Hz", length, rate)
          .isBetween(expected - 1, expected + 1);
      assertThat(out.length).isEqualTo(resampler.outputLength(length));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {11025, 16000, 22050, 32000, 44100, 44101, 48000, 96000, 192000, 4000, 6000})
  void aOneKilohertzToneKeepsItsFrequencyAndAmplitude(int rate) {
    short[] out = Resampler.toCodecRate(rate).resample(TestWavs.sineSamples(rate, 1000, 1000, 0.5));
    ToneFit fit = ToneFit.of(out, EDGE, out.length - EDGE, 8000, 1000);
    assertThat(ToneFit.db(fit.amplitude() / AMPLITUDE)).as("gain in dB").isCloseTo(0, within(0.1));
    // Whatever is not the 1 kHz tone (wrong frequency, aliases, filter noise) stays far below it.
    assertThat(ToneFit.db(fit.residualRms() / (fit.amplitude() / Math.sqrt(2))))
        .as("everything but the tone, dB")
        .isLessThan(-45);
  }

  @ParameterizedTest
  @ValueSource(ints = {4000, 11025, 16000, 22050, 44100, 44101, 48000, 96000, 192000})
  void outputSampleNSitsAtTimeNOverEightThousandWithoutDelay(int rate) {
    short[] out = Resampler.toCodecRate(rate).resample(TestWavs.sineSamples(rate, 1000, 1000, 0.5));
    // Compared with the ideal 8 kHz sine itself, not a fitted one: a delay of even one input
    // sample at 44.1 kHz would leave an error of about -17 dB.
    double error = 0;
    double signal = 0;
    for (int n = EDGE; n < out.length - EDGE; n++) {
      double ideal = AMPLITUDE * Math.sin(2 * Math.PI * 1000 * n / 8000.0);
      error += (out[n] - ideal) * (out[n] - ideal);
      signal += ideal * ideal;
    }
    assertThat(10 * Math.log10(error / signal)).isLessThan(-45);
  }

  @ParameterizedTest
  @ValueSource(ints = {22050, 44100, 44101, 48000})
  void neitherLengthNorTimingDriftsOverAHundredSeconds(int rate) {
    int millis = 100_000;
    short[] in = TestWavs.sineSamples(rate, 1000, millis, 0.5);
    short[] out = Resampler.toCodecRate(rate).resample(in);
    assertThat(out).hasSize(8 * millis);
    // The last second against the ideal sine: a drift of one input sample would give -17 dB.
    double error = 0;
    double signal = 0;
    for (int n = out.length - 8000 - EDGE; n < out.length - EDGE; n++) {
      double ideal = AMPLITUDE * Math.sin(2 * Math.PI * 1000 * n / 8000.0);
      error += (out[n] - ideal) * (out[n] - ideal);
      signal += ideal * ideal;
    }
    assertThat(10 * Math.log10(error / signal)).isLessThan(-45);
  }

  @Test
  void highRatesAreFirstDividedDownToElevenKilohertzOrMore() {
    assertThat(Resampler.decimationFactor(8000)).isEqualTo(1);
    assertThat(Resampler.decimationFactor(16000)).isEqualTo(1);
    assertThat(Resampler.decimationFactor(22050)).isEqualTo(2);
    assertThat(Resampler.decimationFactor(44100)).isEqualTo(4);
    assertThat(Resampler.decimationFactor(48000)).isEqualTo(3); // to 16 kHz: then halved
    assertThat(Resampler.decimationFactor(32000)).isEqualTo(2);
    assertThat(Resampler.decimationFactor(192000)).isEqualTo(12);
    assertThat(Resampler.decimationFactor(88200)).isEqualTo(8); // 11025 Hz
    assertThat(Resampler.decimationFactor(44101)).isEqualTo(4); // nothing divides: the largest
  }

  @ParameterizedTest
  @ValueSource(ints = {300, 1000, 2000, 3000, 3400})
  void thePassBandIsFlatUpTo3400Hz(int hz) {
    for (int rate : new int[] {11025, 16000, 22050, 24000, 32000, 44100, 44101, 48000, 96000}) {
      short[] out = Resampler.toCodecRate(rate).resample(TestWavs.sineSamples(rate, hz, 1000, 0.5));
      ToneFit fit = ToneFit.of(out, EDGE, out.length - EDGE, 8000, hz);
      assertThat(ToneFit.db(fit.amplitude() / AMPLITUDE))
          .as("%d Hz at %d Hz", hz, rate)
          .isCloseTo(0, within(0.2));
    }
  }

  @Test
  void aSixKilohertzToneAt44100IsSuppressedNotAliased() {
    short[] in = TestWavs.sineSamples(44100, 6000, 1000, 0.5);
    short[] out = Resampler.toCodecRate(44100).resample(in);
    // Dropping samples would fold 6 kHz onto 2 kHz at full strength.
    double attenuation =
        ToneFit.db(ToneFit.rms(out, EDGE, out.length - EDGE) / ToneFit.rms(in, 0, in.length));
    assertThat(attenuation).isLessThan(-40);
  }

  @ParameterizedTest
  @ValueSource(
      ints = {4000, 4300, 5000, 6000, 7025, 7900, 8000, 10000, 12000, 15000, 20000, 30000, 45000})
  void everythingFromFourKilohertzUpIsAttenuatedBy50Db(int hz) {
    // 7025 Hz at 11025 Hz would land on 4 kHz; 12 kHz is stage one's edge at 48 and 96 kHz.
    for (int rate : new int[] {44100, 48000, 16000, 11025, 22050, 24000, 32000, 44101, 96000}) {
      if (hz >= rate / 2) {
        continue;
      }
      short[] in = TestWavs.sineSamples(rate, hz, 1000, 0.9);
      short[] out = Resampler.toCodecRate(rate).resample(in);
      double attenuation =
          ToneFit.db(ToneFit.rms(out, EDGE, out.length - EDGE) / ToneFit.rms(in, 0, in.length));
      assertThat(attenuation).as("%d Hz at %d Hz", hz, rate).isLessThan(-50);
    }
  }

  @Test
  void upsamplingRemovesTheImageOfTheTone() {
    // From 4 kHz, a 1.5 kHz tone has its image at 4 - 1.5 = 2.5 kHz in the 8 kHz output.
    short[] out = Resampler.toCodecRate(4000).resample(TestWavs.sineSamples(4000, 1500, 1000, 0.5));
    ToneFit tone = ToneFit.of(out, EDGE, out.length - EDGE, 8000, 1500);
    ToneFit image = ToneFit.of(out, EDGE, out.length - EDGE, 8000, 2500);
    assertThat(ToneFit.db(tone.amplitude() / AMPLITUDE)).isCloseTo(0, within(0.2));
    assertThat(ToneFit.db(image.amplitude() / AMPLITUDE)).isLessThan(-50);
  }

  @Test
  void constantInputStaysConstant() {
    short[] in = new short[44100];
    java.util.Arrays.fill(in, (short) 12345);
    short[] out = Resampler.toCodecRate(44100).resample(in);
    for (int n = EDGE; n < out.length - EDGE; n++) {
      assertThat(out[n]).isBetween((short) 12344, (short) 12346);
    }
  }

  @Test
  void fullScaleOvershootSaturatesInsteadOfWrapping() {
    // A full-scale square wave rings above full scale after low-pass filtering.
    short[] in = new short[48000];
    for (int n = 0; n < in.length; n++) {
      in[n] = (n / 48) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
    }
    short[] out = Resampler.toCodecRate(48000).resample(in);
    // Output n sits at input 6n; well inside each half period the sign must be the input's.
    for (int n = EDGE; n < out.length - EDGE; n++) {
      int inPos = 6 * n % 96;
      if (inPos > 12 && inPos < 36) {
        assertThat(out[n]).as("output %d", n).isGreaterThan((short) 20000);
      } else if (inPos > 60 && inPos < 84) {
        assertThat(out[n]).as("output %d", n).isLessThan((short) -20000);
      }
    }
  }

  @Test
  void refusesRatesOutsideTheSupportedRange() {
    assertThatThrownBy(() -> Resampler.toCodecRate(999))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("source rate 999 Hz outside 1000..192000");
    assertThatThrownBy(() -> Resampler.toCodecRate(192001))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSharpFilterRunsAtTheIntermediateRateAndLandsOnEightKilohertzWhereItCan() {
    assertThat(Resampler.toCodecRate(44100))
        .hasToString(
            "Resampler[44100 Hz -> 8000 Hz: "
                + "1/4 decimation (39 taps), then sharp FIR (61 taps), then 320 phases x 10 taps]");
    assertThat(Resampler.toCodecRate(48000))
        .hasToString(
            "Resampler[48000 Hz -> 8000 Hz: "
                + "1/3 decimation (19 taps), then 1/2 sharp FIR (87 taps)]");
    assertThat(Resampler.toCodecRate(16000))
        .hasToString("Resampler[16000 Hz -> 8000 Hz: 1/2 sharp FIR (87 taps)]");
    // Below 11 kHz the images of 0..4 kHz lie too close for a short last stage.
    assertThat(Resampler.toCodecRate(9000))
        .hasToString("Resampler[9000 Hz -> 8000 Hz: 8 phases x 50 taps]");
  }

  @Test
  void commonRatesShareOneDesignedFilter() {
    assertThat(Resampler.toCodecRate(44100)).isSameAs(Resampler.toCodecRate(44100));
  }
}

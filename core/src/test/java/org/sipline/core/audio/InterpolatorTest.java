package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipline.testing.TestWavs;

class InterpolatorTest {
  private static final double AMPLITUDE = 0.5 * 32767;

  private static short[] samples(byte[] le) {
    short[] s = new short[le.length / 2];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) ((le[2 * i] & 0xff) | (le[2 * i + 1] << 8));
    }
    return s;
  }

  private static short[] run(Interpolator interpolator, short[] input, int[] pieces) {
    byte[] out = new byte[input.length * interpolator.factor() * 2];
    int at = 0;
    int piece = 0;
    while (at < input.length) {
      int n = Math.min(input.length - at, pieces[piece++ % pieces.length]);
      interpolator.process(input, at, n, out, at * interpolator.factor() * 2);
      at += n;
    }
    return samples(out);
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 24000, 48000})
  void aToneKeepsItsAmplitudeAndLeavesNoImages(int rate) {
    for (int hz : new int[] {300, 1000, 3000}) {
      short[] in = TestWavs.sineSamples(8000, hz, 1000, 0.5);
      short[] out = run(Interpolator.fromCodecRate(rate), in, new int[] {160});
      ToneFit fit = ToneFit.of(out, 400, out.length - 400, rate, hz);
      assertThat(ToneFit.db(fit.amplitude() / AMPLITUDE))
          .as("%d Hz tone at %d Hz: gain in dB", hz, rate)
          .isCloseTo(0, within(0.1));
      // The image at 8000 − hz and whatever else is not the tone stays far below it.
      assertThat(ToneFit.db(fit.residualRms() / (fit.amplitude() / Math.sqrt(2))))
          .as("%d Hz tone at %d Hz: everything else, dB", hz, rate)
          .isLessThan(-45);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 24000, 48000})
  void theOutputLagsByExactlyTheStatedDelay(int rate) {
    Interpolator interpolator = Interpolator.fromCodecRate(rate);
    int factor = interpolator.factor();
    short[] out = run(interpolator, TestWavs.sineSamples(8000, 1000, 1000, 0.5), new int[] {160});
    // Output n stands for input time n / factor − delay: compared with the ideal sine there.
    double error = 0;
    double signal = 0;
    for (int n = 400; n < out.length - 400; n++) {
      double t = (double) n / factor - interpolator.delay();
      double ideal = AMPLITUDE * Math.sin(2 * Math.PI * 1000 * t / 8000.0);
      error += (out[n] - ideal) * (out[n] - ideal);
      signal += ideal * ideal;
    }
    assertThat(10 * Math.log10(error / signal)).isLessThan(-45);
    assertThat(interpolator.delay() * 1000.0 / 8000).as("delay in ms").isLessThan(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 24000, 48000})
  void feedingInPiecesGivesTheSameOutputAsAllAtOnce(int rate) {
    Random random = new Random(rate);
    short[] in = new short[5000];
    for (int i = 0; i < in.length; i++) {
      in[i] = (short) random.nextInt(20000);
    }
    short[] whole = run(Interpolator.fromCodecRate(rate), in, new int[] {in.length});
    short[] pieces = run(Interpolator.fromCodecRate(rate), in, new int[] {1, 7, 160, 0, 33, 80});
    assertThat(pieces).containsExactly(whole);
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 11025, 32000, 44100})
  void refusesOtherRates(int rate) {
    assertThatThrownBy(() -> Interpolator.fromCodecRate(rate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(rate + " Hz");
  }
}

package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntegerDecimatorTest {

  /**
   * The vectorised form (streams, windows, blocks of outputs) must compute exactly the textbook sum
   * y[t] = Σ c[m] · x[t·factor + m − centre], zeros outside the input. Integer arithmetic, so
   * exactly: any slip at a block boundary or in the dealing out would show as a difference.
   */
  @ParameterizedTest
  @CsvSource({
    "1, 0.3084, 0.3628",
    "2, 0.2125, 0.25",
    "3, 0.0708, 0.25",
    "4, 0.0771, 0.1593",
    "12, 0.0177, 0.0625"
  })
  void equalsTheDirectConvolutionOverManyBlocks(int factor, double pass, double stop) {
    KaiserLowPass kernel = new KaiserLowPass(pass, stop, Resampler.STOP_BAND_DB);
    IntegerDecimator decimator = new IntegerDecimator(factor, kernel);
    SplittableRandom random = new SplittableRandom(factor);
    for (int length : new int[] {1, factor, decimator.taps() - 1, 4096 * factor + 7, 20_011}) {
      short[] input = new short[length];
      int[] asInts = new int[length];
      for (int i = 0; i < length; i++) {
        input[i] = (short) random.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
        asInts[i] = input[i];
      }
      int[] expected = direct(decimator, input);
      assertThat(decimator.decimate(input))
          .as("%d samples, 1/%d", length, factor)
          .containsExactly(expected);
      assertThat(decimator.decimate(asInts))
          .as("%d int samples, 1/%d", length, factor)
          .containsExactly(expected);
    }
  }

  private static int[] direct(IntegerDecimator decimator, short[] input) {
    int[] c = decimator.coefficients();
    int centre = (c.length - 1) / 2;
    int factor = decimator.factor();
    int[] out = new int[(input.length + factor - 1) / factor];
    for (int t = 0; t < out.length; t++) {
      int acc = 0;
      for (int m = 0; m < c.length; m++) {
        int k = t * factor + m - centre;
        if (k >= 0 && k < input.length) {
          acc += c[m] * input[k];
        }
      }
      out[t] = FixedPoint.toSample(acc, decimator.shift());
    }
    return out;
  }
}

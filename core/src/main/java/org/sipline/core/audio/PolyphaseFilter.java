package org.sipline.core.audio;

/**
 * The fine stage: output sample n is the band-limited interpolation of the input at position n ·
 * down / up, computed with the filter phase for that position's fraction. When {@code up} is large
 * (odd rates), {@value Resampler#MAX_PHASES} phases are kept and the nearest one is used.
 */
final class PolyphaseFilter {
  private final int up;
  private final int down;
  private final int phases;
  private final int halfWidth;
  private final int taps;

  /** phases × taps, phase-major; tap m of phase p weighs input i − halfWidth + 1 + m. */
  private final int[] coefficients;

  private final int shift;

  PolyphaseFilter(int up, int down, KaiserLowPass kernel, int maxPhases) {
    this.up = up;
    this.down = down;
    this.halfWidth = kernel.halfWidth();
    this.taps = 2 * halfWidth;
    this.phases = Math.min(up, maxPhases);
    double[][] real = new double[phases][taps];
    double maxAbsSum = 0;
    for (int p = 0; p < phases; p++) {
      double fraction = (double) p / phases;
      double sum = 0;
      for (int m = 0; m < taps; m++) {
        real[p][m] = kernel.at(fraction + halfWidth - 1 - m);
        sum += real[p][m];
      }
      double absSum = 0;
      for (int m = 0; m < taps; m++) {
        real[p][m] /= sum; // every phase passes DC with gain exactly 1
        absSum += Math.abs(real[p][m]);
      }
      maxAbsSum = Math.max(maxAbsSum, absSum);
    }
    this.shift = FixedPoint.shiftFor(maxAbsSum, taps);
    this.coefficients = new int[phases * taps];
    for (int p = 0; p < phases; p++) {
      FixedPoint.quantise(real[p], shift, coefficients, p * taps);
    }
  }

  int phases() {
    return phases;
  }

  int taps() {
    return taps;
  }

  int down() {
    return down;
  }

  /** Computes {@code outLength} samples from 16-bit-range {@code input}. */
  short[] filter(int[] input, int outLength) {
    short[] output = new short[outLength];
    // Zeros around the input, so every output sample has a full window.
    int[] padded = new int[input.length + taps + 2];
    System.arraycopy(input, 0, padded, halfWidth, input.length);
    int stepWhole = down / up;
    int stepRemainder = down % up;
    int whole = 0;
    int remainder = 0;
    for (int n = 0; n < outLength; n++) {
      int index = whole;
      int phase;
      if (phases == up) {
        phase = remainder;
      } else {
        phase = (int) (((long) remainder * phases + up / 2) / up);
        if (phase == phases) {
          phase = 0;
          index++;
        }
      }
      // Inputs index − halfWidth + 1 .. index + halfWidth, i.e. padded[index + 1 ..].
      int acc = dot(padded, index + 1, coefficients, phase * taps, taps);
      output[n] = (short) FixedPoint.toSample(acc, shift);
      whole += stepWhole;
      remainder += stepRemainder;
      if (remainder >= up) {
        remainder -= up;
        whole++;
      }
    }
    return output;
  }

  private static int dot(int[] x, int xOffset, int[] c, int cOffset, int length) {
    int acc = 0;
    for (int k = 0; k < length; k++) {
      acc += x[xOffset + k] * c[cOffset + k];
    }
    return acc;
  }
}

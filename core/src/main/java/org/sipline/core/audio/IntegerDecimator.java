package org.sipline.core.audio;

import java.util.Arrays;

/**
 * First stage for high source rates: low-pass and keep every {@code factor}-th sample, bringing
 * e.g. 44.1 kHz down to 11.025 kHz before the fine polyphase stage. Only the telephone band has
 * to survive this stage and only what would fold into 0..4 kHz has to go, so its transition band
 * is wide and the filter short.
 *
 * <p>Computed as a sum of scaled, shifted copies of the input ("axpy" per tap) over the input
 * split into {@code factor} interleaved streams: no horizontal sums in the inner loop, so it
 * vectorises wherever the JIT inlines it (a dot product per output would not, once inlined into
 * the loop over outputs).
 */
final class IntegerDecimator {
  /** Outputs per block: the accumulator and the stream windows stay in the L1 cache. */
  private static final int BLOCK = 2048;

  private final int factor;
  private final int taps;
  private final int[] coefficients;
  private final int shift;

  /**
   * @param factor keep one sample in {@code factor}
   * @param kernel the low-pass, in input samples; used with an odd number of taps centred on 0
   */
  IntegerDecimator(int factor, KaiserLowPass kernel) {
    this.factor = factor;
    int halfWidth = kernel.halfWidth();
    this.taps = 2 * halfWidth - 1;
    double[] real = new double[taps];
    double sum = 0;
    for (int m = 0; m < taps; m++) {
      real[m] = kernel.at(m - (halfWidth - 1));
      sum += real[m];
    }
    double absSum = 0;
    for (int m = 0; m < taps; m++) {
      real[m] /= sum;
      absSum += Math.abs(real[m]);
    }
    this.shift = FixedPoint.shiftFor(absSum, taps);
    this.coefficients = new int[taps];
    FixedPoint.quantise(real, shift, coefficients, 0);
  }

  int factor() {
    return factor;
  }

  int taps() {
    return taps;
  }

  /** Output sample t is the filtered input around sample t · factor; ⌈length / factor⌉ of them. */
  int[] decimate(short[] input) {
    int outLength = (input.length + factor - 1) / factor;
    int perStream = (taps + factor - 1) / factor;
    int streamLength = outLength + perStream;
    // Padded input p = k + (taps − 1) / 2 for sample k, dealt out: stream r, slot u ↔ p = u·f + r.
    int[][] streams = new int[factor][streamLength];
    int p = (taps - 1) / 2;
    int slot = p / factor;
    int stream = p % factor;
    for (short sample : input) {
      streams[stream][slot] = sample;
      if (++stream == factor) {
        stream = 0;
        slot++;
      }
    }
    int[] output = new int[outLength];
    int[] acc = new int[BLOCK];
    int[] window = new int[BLOCK];
    for (int start = 0; start < outLength; start += BLOCK) {
      int length = Math.min(BLOCK, outLength - start);
      Arrays.fill(acc, 0, length, 0);
      for (int m = 0; m < taps; m++) {
        // The copy lines the tap's inputs up with the accumulator: with one index for both
        // arrays the JIT can vectorise without proving that they do not overlap.
        System.arraycopy(streams[m % factor], start + m / factor, window, 0, length);
        axpy(coefficients[m], window, acc, length);
      }
      for (int n = 0; n < length; n++) {
        output[start + n] = FixedPoint.toSample(acc[n], shift);
      }
    }
    return output;
  }

  private static void axpy(int c, int[] x, int[] acc, int length) {
    for (int n = 0; n < length; n++) {
      acc[n] += c * x[n];
    }
  }
}

package org.sipline.core.audio;

/**
 * Integer filter coefficients: the resampler's sums run in {@code int} so that the JIT can
 * vectorise them. Input samples are 16-bit, so a phase's Σ|c| · 2^shift must stay below 2^16.
 */
final class FixedPoint {
  private FixedPoint() {}

  /**
   * The largest shift (at most 20) for which no sum of one phase can overflow {@code int}. Rounding
   * moves Σ|c| by at most one unit per tap, hence the margin of {@code taps}.
   */
  static int shiftFor(double maxAbsSum, int taps) {
    return Math.min(20, (int) Math.floor(Math.log((65535.0 - taps) / maxAbsSum) / Math.log(2)));
  }

  /** Rounds one phase to integers whose sum is exactly 2^shift (DC gain 1) into {@code out}. */
  static void quantise(double[] phase, int shift, int[] out, int outOffset) {
    int one = 1 << shift;
    int sum = 0;
    int largest = 0;
    for (int m = 0; m < phase.length; m++) {
      int c = (int) Math.round(phase[m] * one);
      out[outOffset + m] = c;
      sum += c;
      if (Math.abs(c) > Math.abs(out[outOffset + largest])) {
        largest = m;
      }
    }
    // The rounding error goes onto the largest tap, where it changes the response least.
    out[outOffset + largest] += one - sum;
  }

  /** {@code acc / 2^shift}, rounded half up, clamped to 16 bits. */
  static int toSample(int acc, int shift) {
    // Halving last rounds like adding 2^(shift-1) first, without that sum overflowing an int.
    int v = ((acc >> (shift - 1)) + 1) >> 1;
    return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
  }

  /**
   * {@link #toSample} of {@code acc[0, length)} into {@code out[outOffset, outOffset + length)}.
   */
  static void toSamples(int[] acc, int shift, int[] out, int outOffset, int length) {
    for (int n = 0; n < length; n++) {
      out[outOffset + n] = toSample(acc[n], shift);
    }
  }
}

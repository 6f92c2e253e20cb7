package org.sipline.core.audio;

/**
 * G.722's quadrature mirror filters (ITU-T G.722 §3.1 and §4.4): the 24-tap analysis pair that
 * splits two 16 kHz samples into one lower-band and one higher-band sample at 8 kHz, and the
 * synthesis pair that joins them again. One instance holds one direction's delay line.
 */
final class G722Qmf {
  /**
   * The even-indexed coefficients h0, h2, …, h22 of the standard's table; the odd ones are the same
   * values in reverse order (h(2i+1) = h(22−2i)), the filter being symmetric.
   */
  private static final int[] H = {3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11};

  // The delay line x(j−23)..x(j) as its two phases, 12 samples each: phase A holds the newer
  // sample of each pair (x(j), x(j−2), …), phase B the older (x(j−1), x(j−3), …). Each is a ring
  // stored twice over, so that its 12 newest samples lie contiguous at [at, at + 12), newest
  // first, without shifting the line by two samples per pair (the pacer runs this per pair of
  // samples of every G.722 call; BENCHMARKS.md §9).
  private final int[] phaseA = new int[24];
  private final int[] phaseB = new int[24];
  private int at;

  void reset() {
    java.util.Arrays.fill(phaseA, 0);
    java.util.Arrays.fill(phaseB, 0);
    at = 0;
  }

  /** Moves the rings one pair on, writing {@code a} to phase A and {@code b} to phase B. */
  private void push(int a, int b) {
    int i = at == 0 ? 11 : at - 1;
    phaseA[i] = a;
    phaseA[i + 12] = a;
    phaseB[i] = b;
    phaseB[i + 12] = b;
    at = i;
  }

  /**
   * Analysis: takes the samples at 16 kHz (older first) and returns the lower band in the low 16
   * bits and the higher band in the high 16 bits of the result.
   */
  int split(int older, int newer) {
    push(newer, older);
    // xA over the newest sample's phase (h even), xB over the other (h odd).
    int xa = 0;
    int xb = 0;
    int i0 = at;
    for (int i = 0; i < 12; i++) {
      xa += phaseA[i0 + i] * H[i];
      xb += phaseB[i0 + i] * H[11 - i];
    }
    // The taps sum to 2^13 per phase; 16-bit input thus leaves 15-bit sub-band samples.
    int low = (xa + xb) >> 14;
    int high = (xa - xb) >> 14;
    return (low & 0xFFFF) | (high << 16);
  }

  /**
   * Synthesis: takes one reconstructed sample of each band and returns two 16 kHz samples, the
   * older in the low 16 bits and the newer in the high 16 bits.
   */
  int join(int low, int high) {
    push(low - high, low + high);
    int older = 0;
    int newer = 0;
    int i0 = at;
    for (int i = 0; i < 12; i++) {
      older += phaseA[i0 + i] * H[i];
      newer += phaseB[i0 + i] * H[11 - i];
    }
    return (G722Band.sat(older >> 11) & 0xFFFF) | (G722Band.sat(newer >> 11) << 16);
  }
}

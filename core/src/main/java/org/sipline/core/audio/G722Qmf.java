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

  /** x(j−23)..x(j): oldest first, so the two newest samples land at 22 and 23. */
  private final int[] x = new int[24];

  void reset() {
    java.util.Arrays.fill(x, 0);
  }

  /**
   * Analysis: takes the samples at 16 kHz (older first) and returns the lower band in the low 16
   * bits and the higher band in the high 16 bits of the result.
   */
  int split(int older, int newer) {
    System.arraycopy(x, 2, x, 0, 22);
    x[22] = older;
    x[23] = newer;
    // xA over the newest sample's phase (h even), xB over the other (h odd).
    int xa = 0;
    int xb = 0;
    for (int i = 0; i < 12; i++) {
      xa += x[23 - 2 * i] * H[i];
      xb += x[22 - 2 * i] * H[11 - i];
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
    System.arraycopy(x, 2, x, 0, 22);
    x[22] = low + high;
    x[23] = low - high;
    int older = 0;
    int newer = 0;
    for (int i = 0; i < 12; i++) {
      older += x[23 - 2 * i] * H[i];
      newer += x[22 - 2 * i] * H[11 - i];
    }
    return (G722Band.sat(older >> 11) & 0xFFFF) | (G722Band.sat(newer >> 11) << 16);
  }
}

package org.sipline.core.audio;

import java.util.Arrays;

/**
 * The state one G.722 sub-band (lower or higher) keeps between samples: its quantiser scale factor
 * and its adaptive predictor (two poles, six zeros). Encoder and decoder hold identical copies,
 * updated from the same quantised difference, so that they predict alike without exchanging
 * anything but the codes.
 *
 * <p>The arithmetic follows the functional blocks of ITU-T G.722 (2012) §3 and §4 — RECONS, PARREC,
 * UPPOL1, UPPOL2, UPZERO, DELAYA, FILTEP, FILTEZ, PREDIC and the scale-factor blocks LOGSCL/SCALEL
 * (lower) and LOGSCH/SCALEH (higher) — in 16-bit two's complement with the standard's saturation,
 * so the codes match any conforming implementation bit for bit.
 */
final class G722Band {
  /** SCALEL/SCALEH's table: 2048 · 2^(i/32), the mantissa of the linear scale factor. */
  private static final int[] ILB = {
    2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
    2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008
  };

  /** LOGSCL's log scale-factor multipliers, by the 4-bit code's magnitude class. */
  private static final int[] WL = {-60, -30, 58, 172, 334, 538, 1198, 3042};

  /** LOGSCL: the magnitude class of each 4-bit code (the lower band's 4 most significant bits). */
  private static final int[] RL42 = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};

  /** LOGSCH's multipliers, by the 2-bit code's magnitude class (1 inner, 2 outer). */
  private static final int[] WH = {0, -214, 798};

  /** LOGSCH: the magnitude class of each 2-bit code. */
  private static final int[] RH2 = {2, 1, 2, 1};

  private final boolean lower;

  /** Logarithmic scale factor (NBL/NBH) and the linear one derived from it (DETL/DETH). */
  private int nb;

  private int det;

  /** Signal estimate (SL/SH) and its zero section alone (SZL/SZH). */
  private int s;

  private int sz;

  /** Quantised differences d(n)..d(n-6), pole coefficients a1, a2 and zero coefficients b1..b6. */
  private final int[] d = new int[7];

  private final int[] b = new int[7];
  private final int[] a = new int[3];

  /** Reconstructed signal r(n)..r(n-2) and partial reconstruction p(n)..p(n-2). */
  private final int[] r = new int[3];

  private final int[] p = new int[3];

  G722Band(boolean lower) {
    this.lower = lower;
    reset();
  }

  void reset() {
    nb = 0;
    det = lower ? 32 : 8;
    s = 0;
    sz = 0;
    Arrays.fill(d, 0);
    Arrays.fill(b, 0);
    Arrays.fill(a, 0);
    Arrays.fill(r, 0);
    Arrays.fill(p, 0);
  }

  /** The current signal estimate, which SUBTRA takes from the input and the decoder adds back. */
  int estimate() {
    return s;
  }

  /** The current linear scale factor, by which the quantiser's levels are multiplied. */
  int scale() {
    return det;
  }

  /**
   * Takes one quantised difference: adapts the scale factor from the code's magnitude class, then
   * the predictor from the difference, and computes the next estimate.
   *
   * @param code the lower band's 4-bit code (its 6-bit code's top bits) or the higher band's 2 bits
   * @param dq the difference that code stands for, at the scale in force before this call
   */
  void update(int code, int dq) {
    adaptScale(code);
    adaptPredictor(dq);
  }

  private void adaptScale(int code) {
    // LOGSCL / LOGSCH: a leaky log-domain accumulator, leakage 127/128.
    int next = ((nb * 127) >> 7) + (lower ? WL[RL42[code]] : WH[RH2[code]]);
    int max = lower ? 18432 : 22528;
    nb = Math.max(0, Math.min(max, next));
    // SCALEL / SCALEH: antilog by table (mantissa) and shift (exponent).
    int mantissa = ILB[(nb >> 6) & 31];
    int shift = (lower ? 8 : 10) - (nb >> 11);
    int linear = shift < 0 ? mantissa << -shift : mantissa >> shift;
    det = linear << 2;
  }

  private void adaptPredictor(int dq) {
    // RECONS and PARREC: the reconstructed signal and the part without the pole section.
    d[0] = dq;
    r[0] = sat(s + dq);
    p[0] = sat(sz + dq);

    // UPPOL2: a2 moves towards agreement of the partial reconstruction's signs over two steps.
    int sg0 = p[0] >> 15;
    int sg1 = p[1] >> 15;
    int sg2 = p[2] >> 15;
    int wd1 = sat(a[1] << 2);
    int wd2 = sg0 == sg1 ? -wd1 : wd1;
    wd2 = Math.min(wd2, 32767);
    int a2 = (wd2 >> 7) + (sg0 == sg2 ? 128 : -128) + ((a[2] * 32512) >> 15);
    a2 = Math.max(-12288, Math.min(12288, a2));

    // UPPOL1: a1 likewise over one step, bounded so that the pole pair stays stable.
    int a1 = sat((sg0 == sg1 ? 192 : -192) + ((a[1] * 32640) >> 15));
    int bound = sat(15360 - a2);
    a1 = Math.max(-bound, Math.min(bound, a1));

    // UPZERO: each b_i leaks and moves by the sign agreement of d(n) and d(n-i).
    int step = dq == 0 ? 0 : 128;
    int sgd = dq >> 15;
    // (In place: each new b_i depends only on the old b_i and d(n-i), read before DELAYA.)
    for (int i = 1; i < 7; i++) {
      int moved = (d[i] >> 15) == sgd ? step : -step;
      b[i] = sat(moved + ((b[i] * 32640) >> 15));
    }

    // DELAYA: shift the histories, take the new pole coefficients.
    for (int i = 6; i > 0; i--) {
      d[i] = d[i - 1];
    }
    r[2] = r[1];
    r[1] = r[0];
    p[2] = p[1];
    p[1] = p[0];
    a[1] = a1;
    a[2] = a2;

    // FILTEP, FILTEZ, PREDIC: the next estimate from the poles and the zeros.
    int sp = sat(((a[1] * sat(r[1] + r[1])) >> 15) + ((a[2] * sat(r[2] + r[2])) >> 15));
    int zeros = 0;
    for (int i = 6; i > 0; i--) {
      zeros += (b[i] * sat(d[i] + d[i])) >> 15;
    }
    sz = sat(zeros);
    s = sat(sp + sz);
  }

  static int sat(int x) {
    return Math.max(-32768, Math.min(32767, x));
  }
}

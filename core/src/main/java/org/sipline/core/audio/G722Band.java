package org.sipline.core.audio;

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

  // Quantised differences d(n-1)..d(n-6), zero coefficients b1..b6, pole coefficients a1, a2,
  // reconstructed signal r(n-1), r(n-2) and partial reconstruction p(n-1), p(n-2). Fields, not
  // arrays: this runs twice per pair of 16 kHz samples on the pacer's thread (one encoder per
  // G.722 call), and scalars spare the array loads and their bounds checks (BENCHMARKS.md §9).
  private int d1;
  private int d2;
  private int d3;
  private int d4;
  private int d5;
  private int d6;
  private int b1;
  private int b2;
  private int b3;
  private int b4;
  private int b5;
  private int b6;
  private int a1;
  private int a2;
  private int r1;
  private int r2;
  private int p1;
  private int p2;

  G722Band(boolean lower) {
    this.lower = lower;
    reset();
  }

  void reset() {
    nb = 0;
    det = lower ? 32 : 8;
    s = 0;
    sz = 0;
    d1 = d2 = d3 = d4 = d5 = d6 = 0;
    b1 = b2 = b3 = b4 = b5 = b6 = 0;
    a1 = a2 = 0;
    r1 = r2 = 0;
    p1 = p2 = 0;
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
    int r0 = sat(s + dq);
    int p0 = sat(sz + dq);

    // UPPOL2: a2 moves towards agreement of the partial reconstruction's signs over two steps.
    int sg0 = p0 >> 15;
    int sg1 = p1 >> 15;
    int sg2 = p2 >> 15;
    int wd1 = sat(a1 << 2);
    int wd2 = sg0 == sg1 ? -wd1 : wd1;
    wd2 = Math.min(wd2, 32767);
    int na2 = (wd2 >> 7) + (sg0 == sg2 ? 128 : -128) + ((a2 * 32512) >> 15);
    na2 = Math.max(-12288, Math.min(12288, na2));

    // UPPOL1: a1 likewise over one step, bounded so that the pole pair stays stable.
    int na1 = sat((sg0 == sg1 ? 192 : -192) + ((a1 * 32640) >> 15));
    int bound = sat(15360 - na2);
    na1 = Math.max(-bound, Math.min(bound, na1));

    // UPZERO: each b_i leaks and moves by the sign agreement of d(n) and d(n-i).
    int step = dq == 0 ? 0 : 128;
    int sgd = dq >> 15;
    b1 = upzero(b1, d1, sgd, step);
    b2 = upzero(b2, d2, sgd, step);
    b3 = upzero(b3, d3, sgd, step);
    b4 = upzero(b4, d4, sgd, step);
    b5 = upzero(b5, d5, sgd, step);
    b6 = upzero(b6, d6, sgd, step);

    // DELAYA: shift the histories, take the new pole coefficients.
    d6 = d5;
    d5 = d4;
    d4 = d3;
    d3 = d2;
    d2 = d1;
    d1 = dq;
    r2 = r1;
    r1 = r0;
    p2 = p1;
    p1 = p0;
    a1 = na1;
    a2 = na2;

    // FILTEP, FILTEZ, PREDIC: the next estimate from the poles and the zeros.
    int sp = sat(((a1 * sat(r1 + r1)) >> 15) + ((a2 * sat(r2 + r2)) >> 15));
    int zeros =
        ((b6 * sat(d6 + d6)) >> 15)
            + ((b5 * sat(d5 + d5)) >> 15)
            + ((b4 * sat(d4 + d4)) >> 15)
            + ((b3 * sat(d3 + d3)) >> 15)
            + ((b2 * sat(d2 + d2)) >> 15)
            + ((b1 * sat(d1 + d1)) >> 15);
    sz = sat(zeros);
    s = sat(sp + sz);
  }

  /** UPZERO for one zero coefficient {@code b} against the old difference {@code d}. */
  private static int upzero(int b, int d, int sgd, int step) {
    // +step when the signs agree, -step when not, without a branch the signal would mispredict:
    // differ is 0 or -1 (d and every difference fit in 16 bits, so d >> 15 is the sign).
    int differ = (d >> 15) ^ sgd;
    int moved = (step ^ differ) - differ;
    return sat(moved + ((b * 32640) >> 15));
  }

  static int sat(int x) {
    return Math.max(-32768, Math.min(32767, x));
  }
}

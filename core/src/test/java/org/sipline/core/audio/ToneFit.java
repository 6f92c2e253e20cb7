package org.sipline.core.audio;

/**
 * Least-squares fit of a sine of known frequency to a stretch of samples: how much of the signal is
 * that tone (amplitude) and how much is anything else (residual). Test-only measuring tool.
 */
record ToneFit(double amplitude, double residualRms) {

  /**
   * Fits {@code a·cos + b·sin} at {@code hz} to {@code samples[from, to)} taken at {@code rate}.
   */
  static ToneFit of(short[] samples, int from, int to, int rate, double hz) {
    double cc = 0;
    double ss = 0;
    double cs = 0;
    double yc = 0;
    double ys = 0;
    for (int n = from; n < to; n++) {
      double w = 2 * Math.PI * hz * n / rate;
      double c = Math.cos(w);
      double s = Math.sin(w);
      cc += c * c;
      ss += s * s;
      cs += c * s;
      yc += samples[n] * c;
      ys += samples[n] * s;
    }
    double det = cc * ss - cs * cs;
    double a = (yc * ss - ys * cs) / det;
    double b = (ys * cc - yc * cs) / det;
    double residual = 0;
    for (int n = from; n < to; n++) {
      double w = 2 * Math.PI * hz * n / rate;
      double e = samples[n] - a * Math.cos(w) - b * Math.sin(w);
      residual += e * e;
    }
    return new ToneFit(Math.hypot(a, b), Math.sqrt(residual / (to - from)));
  }

  /** Root mean square of {@code samples[from, to)}. */
  static double rms(short[] samples, int from, int to) {
    double sum = 0;
    for (int n = from; n < to; n++) {
      sum += (double) samples[n] * samples[n];
    }
    return Math.sqrt(sum / (to - from));
  }

  static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }
}

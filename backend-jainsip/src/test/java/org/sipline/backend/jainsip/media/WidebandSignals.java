package org.sipline.backend.jainsip.media;

/** Test signals and measures for the wideband codecs: sweeps, tones, correlation, band power. */
final class WidebandSignals {
  private WidebandSignals() {}

  /** An exponential sweep from {@code from} to {@code to} Hz. */
  static short[] sweep(int rate, double from, double to, int samples, double amplitude) {
    short[] out = new short[samples];
    double phase = 0;
    for (int i = 0; i < samples; i++) {
      double f = from * Math.pow(to / from, (double) i / samples);
      phase += 2 * Math.PI * f / rate;
      out[i] = (short) Math.round(amplitude * Math.sin(phase));
    }
    return out;
  }

  static short[] tone(int rate, double hz, int samples, double amplitude) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return out;
  }

  /** Pearson correlation of {@code a[0..n)} with {@code b[delay..delay+n)}. */
  static double correlation(short[] a, short[] b, int delay, int n) {
    double sa = 0;
    double sb = 0;
    for (int i = 0; i < n; i++) {
      sa += a[i];
      sb += b[i + delay];
    }
    double ma = sa / n;
    double mb = sb / n;
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < n; i++) {
      double x = a[i] - ma;
      double y = b[i + delay] - mb;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return ab / Math.sqrt(aa * bb);
  }

  /** The best correlation over delays 0..maxDelay, over {@code n} samples. */
  static double bestCorrelation(short[] a, short[] b, int maxDelay, int n) {
    double best = -1;
    for (int d = 0; d <= maxDelay; d++) {
      best = Math.max(best, correlation(a, b, d, n));
    }
    return best;
  }

  /** The power at {@code hz} (Goertzel) over {@code x[from..from+length)}. */
  static double power(short[] x, int rate, int from, int length, double hz) {
    double coefficient = 2 * Math.cos(2 * Math.PI * hz / rate);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < from + length; i++) {
      double s0 = x[i] + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  }
}

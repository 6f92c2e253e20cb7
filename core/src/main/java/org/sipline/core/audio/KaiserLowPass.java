package org.sipline.core.audio;

/**
 * A windowed-sinc low-pass kernel as a continuous function of time (in input samples), so that any
 * fractional phase of a polyphase resampler can be sampled from it. Kaiser's window and his
 * formulas pick the length and shape for a given transition band and stop-band attenuation.
 */
final class KaiserLowPass {
  private final double cutoff;
  private final double halfWidth;
  private final double beta;
  private final double i0Beta;

  /**
   * @param passEdge highest frequency to keep, in cycles per input sample
   * @param stopEdge lowest frequency to remove, in cycles per input sample
   * @param attenuationDb stop-band attenuation
   */
  KaiserLowPass(double passEdge, double stopEdge, double attenuationDb) {
    this.cutoff = (passEdge + stopEdge) / 2;
    double transition = stopEdge - passEdge;
    // Kaiser's length estimate: taps ≈ (A − 7.95) / (14.36 · Δf).
    double taps = (attenuationDb - 7.95) / (14.36 * transition);
    this.halfWidth = Math.ceil(taps / 2);
    this.beta =
        attenuationDb > 50
            ? 0.1102 * (attenuationDb - 8.7)
            : 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
    this.i0Beta = besselI0(beta);
  }

  /** The kernel is zero outside (−halfWidth, halfWidth) input samples. */
  int halfWidth() {
    return (int) halfWidth;
  }

  /** The kernel's value {@code tau} input samples from its centre. */
  double at(double tau) {
    double r = tau / halfWidth;
    if (r <= -1 || r >= 1) {
      return 0;
    }
    double window = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
    double x = 2 * cutoff * tau;
    double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    return 2 * cutoff * sinc * window;
  }

  /** Modified Bessel function of the first kind, order 0, by its power series. */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double halfX = x / 2;
    for (int k = 1; k < 200; k++) {
      term *= (halfX / k) * (halfX / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}

package org.sipline.core.audio;

/**
 * Lowers a stream of call audio by an integer factor as it arrives (16 kHz G.722 audio to 8 kHz, 48
 * kHz Opus audio to 16 or 8 kHz): a windowed-sinc low-pass that keeps 42.5 % of the output rate
 * (3.4 kHz at 8 kHz) and takes {@value #STOP_BAND_DB} dB off from 57.5 % of it on, then every
 * {@code factor}-th sample. What lies between the output's Nyquist frequency and the stop edge
 * folds back above the pass band only, as with {@link Interpolator}: the band a listener or a
 * recogniser uses stays clean.
 *
 * <p>Linear-phase and causal: an output lags its input by {@link #delay()} input samples, a
 * multiple of the factor, so that a caller labelling output with input positions shifts them by a
 * whole number of outputs. Feeding in pieces gives the same output as feeding all at once, as long
 * as each piece is a multiple of the factor long. Not thread-safe.
 */
public final class Decimator {
  static final double STOP_BAND_DB = 55;
  private static final double PASS = 0.425;
  private static final double STOP = 0.575;

  private final int factor;
  private final int halfWidth;
  private final int taps;
  private final int[] coefficients;
  private final int shift;

  /** The last {@link #taps} inputs, newest last. */
  private final int[] history;

  private Decimator(int factor) {
    this.factor = factor;
    KaiserLowPass kernel = new KaiserLowPass(PASS / factor, STOP / factor, STOP_BAND_DB);
    // Rounded up to whole outputs: the delay is then a whole number of them.
    this.halfWidth = (kernel.halfWidth() + factor - 1) / factor * factor;
    // An output is computed once the last input of its group is in, and stands for the group's
    // first input delay() samples back: the kernel's centre sits factor − 1 taps further back.
    int centre = halfWidth + factor - 1;
    this.taps = centre + halfWidth + 1;
    double[] real = new double[taps];
    double sum = 0;
    for (int m = 0; m < taps; m++) {
      real[m] = kernel.at(m - centre);
      sum += real[m];
    }
    double absSum = 0;
    for (int m = 0; m < taps; m++) {
      real[m] /= sum; // DC passes with gain exactly 1
      absSum += Math.abs(real[m]);
    }
    this.shift = FixedPoint.shiftFor(absSum, taps);
    this.coefficients = new int[taps];
    FixedPoint.quantise(real, shift, coefficients, 0);
    this.history = new int[taps];
  }

  /**
   * A decimator from {@code sourceRate} to {@code targetRate}, an integer fraction of it.
   *
   * @throws IllegalArgumentException unless {@code sourceRate} is 2 to 6 times {@code targetRate}
   * @param sourceRate the input rate in Hz
   * @param targetRate the output rate in Hz
   * @return the decimator, with no input yet
   */
  public static Decimator between(int sourceRate, int targetRate) {
    if (targetRate <= 0
        || sourceRate % targetRate != 0
        || sourceRate / targetRate < 2
        || sourceRate / targetRate > 6) {
      throw new IllegalArgumentException(
          "from " + sourceRate + " Hz to " + targetRate + " Hz: a 2nd to a 6th of the rate only");
    }
    return new Decimator(sourceRate / targetRate);
  }

  /**
   * Input samples per output sample.
   *
   * @return the factor
   */
  public int factor() {
    return factor;
  }

  /**
   * How many input samples the output lags behind the input; a multiple of {@link #factor()}.
   *
   * @return the delay in input samples
   */
  public int delay() {
    return halfWidth;
  }

  /**
   * Feeds {@code input[offset, offset + count)} and writes {@code count / factor()} output samples
   * into {@code out} from {@code outOffset} on.
   *
   * @param input samples at the source rate
   * @param offset the first sample to take
   * @param count how many to take; a multiple of {@link #factor()}
   * @param out where the output goes
   * @param outOffset the first output's index in {@code out}
   * @return how many samples were written
   * @throws IllegalArgumentException when {@code count} is not a multiple of the factor
   */
  public int process(short[] input, int offset, int count, short[] out, int outOffset) {
    if (count % factor != 0) {
      throw new IllegalArgumentException(count + " samples: not a multiple of " + factor);
    }
    int o = outOffset;
    for (int k = 0; k < count; k += factor) {
      System.arraycopy(history, factor, history, 0, taps - factor);
      for (int j = 0; j < factor; j++) {
        history[taps - factor + j] = input[offset + k + j];
      }
      // history[taps − 1 − m] is the input m samples before the group's last.
      int acc = 0;
      for (int m = 0; m < taps; m++) {
        acc += coefficients[m] * history[taps - 1 - m];
      }
      out[o++] = (short) FixedPoint.toSample(acc, shift);
    }
    return o - outOffset;
  }

  /** Forgets the inputs held, as after a gap: the next output starts from silence. */
  public void reset() {
    java.util.Arrays.fill(history, 0);
  }
}

package org.sipline.core.audio;

import org.sipline.core.spi.AudioFrames;

/**
 * Raises a stream of call audio (8 kHz, or 16 kHz for G.722) by an integer factor as it arrives: a
 * polyphase windowed-sinc filter that keeps the source's band (to 3.4 kHz at 8 kHz: 42.5 % of the
 * source rate) and removes the images of it that plain repetition or linear interpolation would
 * leave (from 4.6 kHz up at 8 kHz, by {@value #STOP_BAND_DB} dB).
 *
 * <p>The filter is linear-phase and causal, so its output lags its input by {@link #delay()} input
 * samples (1.375 ms at 8 kHz): the output of an input sample at index {@code i} leaves with the
 * call that feeds index {@code i + delay()}. A caller that labels audio with positions shifts them
 * by that much (see {@code InboundFramer} in the media package). Between calls the filter keeps the
 * last inputs it needs, so feeding in pieces gives the same output as feeding all at once. Not
 * thread-safe.
 */
public final class Interpolator {
  static final double STOP_BAND_DB = 55;

  /** The pass band's edge as a fraction of the source rate: 3.4 kHz at 8 kHz. */
  private static final double PASS = 3400.0 / AudioFrames.SAMPLE_RATE;

  private final int factor;
  private final int halfWidth;
  private final int taps;

  /** factor × taps, phase-major; tap m of phase p weighs the input m samples back. */
  private final int[] coefficients;

  private final int shift;

  /** The last {@link #taps} inputs, newest last: a sliding window. */
  private final int[] history;

  private Interpolator(int factor) {
    this.factor = factor;
    KaiserLowPass kernel = new KaiserLowPass(PASS, 1 - PASS, STOP_BAND_DB);
    this.halfWidth = kernel.halfWidth();
    this.taps = 2 * halfWidth;
    double[][] real = new double[factor][taps];
    double maxAbsSum = 0;
    for (int p = 0; p < factor; p++) {
      double sum = 0;
      for (int m = 0; m < taps; m++) {
        // Output p of the input m back stands at (i − delay + p / factor); tap m at (i − m).
        real[p][m] = kernel.at(m - halfWidth + (double) p / factor);
        sum += real[p][m];
      }
      double absSum = 0;
      for (int m = 0; m < taps; m++) {
        real[p][m] /= sum; // every phase passes DC with gain exactly 1
        absSum += Math.abs(real[p][m]);
      }
      maxAbsSum = Math.max(maxAbsSum, absSum);
    }
    this.shift = FixedPoint.shiftFor(maxAbsSum, taps);
    this.coefficients = new int[factor * taps];
    for (int p = 0; p < factor; p++) {
      FixedPoint.quantise(real[p], shift, coefficients, p * taps);
    }
    this.history = new int[taps];
  }

  /**
   * An interpolator from 8 kHz to {@code targetRate}.
   *
   * @throws IllegalArgumentException unless {@code targetRate} is 16000, 24000 or 48000
   * @param targetRate the output rate in Hz
   * @return the interpolator, with no input yet
   */
  public static Interpolator fromCodecRate(int targetRate) {
    if (targetRate != 16000 && targetRate != 24000 && targetRate != 48000) {
      throw new IllegalArgumentException(
          "target rate " + targetRate + " Hz: 16000, 24000 or 48000 only");
    }
    return new Interpolator(targetRate / AudioFrames.SAMPLE_RATE);
  }

  /**
   * An interpolator from {@code sourceRate} to {@code targetRate}, an integer multiple of it.
   *
   * @throws IllegalArgumentException unless {@code targetRate} is 2 to 6 times {@code sourceRate}
   * @param sourceRate the input rate in Hz
   * @param targetRate the output rate in Hz
   * @return the interpolator, with no input yet
   */
  public static Interpolator between(int sourceRate, int targetRate) {
    if (sourceRate <= 0
        || targetRate % sourceRate != 0
        || targetRate / sourceRate < 2
        || targetRate / sourceRate > 6) {
      throw new IllegalArgumentException(
          "from " + sourceRate + " Hz to " + targetRate + " Hz: 2 to 6 times the rate only");
    }
    return new Interpolator(targetRate / sourceRate);
  }

  /**
   * Output samples per input sample.
   *
   * @return the factor
   */
  public int factor() {
    return factor;
  }

  /**
   * How many input samples the output lags behind the input.
   *
   * @return the delay in input samples
   */
  public int delay() {
    return halfWidth;
  }

  /**
   * Feeds {@code input[offset, offset + count)} and writes {@code count × factor()} output samples
   * as 16-bit little-endian bytes into {@code out} from {@code outOffset} on.
   *
   * @param input samples at the source rate
   * @param offset the first sample to take
   * @param count how many to take
   * @param out where the output bytes go
   * @param outOffset the first output byte's index in {@code out}
   */
  public void process(short[] input, int offset, int count, byte[] out, int outOffset) {
    int o = outOffset;
    for (int k = 0; k < count; k++) {
      System.arraycopy(history, 1, history, 0, taps - 1);
      history[taps - 1] = input[offset + k];
      for (int p = 0; p < factor; p++) {
        int acc = 0;
        int base = p * taps;
        for (int m = 0; m < taps; m++) {
          acc += coefficients[base + m] * history[taps - 1 - m];
        }
        int sample = FixedPoint.toSample(acc, shift);
        out[o++] = (byte) sample;
        out[o++] = (byte) (sample >> 8);
      }
    }
  }

  /** Forgets the inputs held, as after a gap: the next output starts from silence. */
  public void reset() {
    java.util.Arrays.fill(history, 0);
  }
}

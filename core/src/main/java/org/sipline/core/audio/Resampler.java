package org.sipline.core.audio;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.sipline.core.spi.AudioFrames;

/**
 * Converts mono 16-bit PCM from a file's sample rate to the codec rate (8 kHz) with a polyphase
 * windowed-sinc FIR, so that nothing above the new Nyquist frequency folds back into the band.
 *
 * <p>The filter keeps everything up to 85 % of the lower rate's Nyquist frequency (3.4 kHz, the
 * telephone band, when going down to 8 kHz) and attenuates by {@value #STOP_BAND_DB} dB from that
 * Nyquist frequency on (4 kHz), so its cut-off sits below 4 kHz. That attenuation is below
 * G.711's own quantisation noise (its SNR is about 38 dB), so more would cost time for nothing
 * audible. Going up (rates below 8 kHz) the same filter interpolates and removes the images.
 *
 * <p>Cost: the filter is designed once per source rate and kept (instances are immutable and
 * shared); {@link #resample} allocates its output and one padded copy of the input, nothing per
 * sample, and computes in integers (Q-format coefficients, exact DC gain) so the inner product
 * vectorises. Rates whose ratio to 8000 has a large numerator (say 44101 Hz) use {@value
 * #MAX_PHASES} filter phases with the nearest phase taken, a timing error below 1/2048 sample.
 */
public final class Resampler {
  public static final int TARGET_RATE = AudioFrames.SAMPLE_RATE;
  static final double STOP_BAND_DB = 55;
  static final double PASS_BAND_FRACTION = 0.85;
  static final int MAX_PHASES = 1024;
  private static final int MAX_CACHED = 32;
  private static final ConcurrentMap<Integer, Resampler> CACHE = new ConcurrentHashMap<>();

  private final int sourceRate;
  /** Output sample n sits at input position n · down / up (the reduced ratio). */
  private final int up;
  private final int down;
  private final int phases;
  private final int taps;
  private final int halfWidth;
  /** phases × taps, phase-major; tap m of phase p weighs input sample i − halfWidth + 1 + m. */
  private final int[] coefficients;
  private final int shift;

  private Resampler(int sourceRate) {
    this.sourceRate = sourceRate;
    int gcd = gcd(sourceRate, TARGET_RATE);
    this.up = TARGET_RATE / gcd;
    this.down = sourceRate / gcd;
    if (sourceRate == TARGET_RATE) {
      this.phases = 0;
      this.taps = 0;
      this.halfWidth = 0;
      this.coefficients = new int[0];
      this.shift = 0;
      return;
    }
    double nyquist = Math.min(sourceRate, TARGET_RATE) / 2.0;
    KaiserLowPass kernel = new KaiserLowPass(
        PASS_BAND_FRACTION * nyquist / sourceRate, nyquist / sourceRate, STOP_BAND_DB);
    this.halfWidth = kernel.halfWidth();
    this.taps = 2 * halfWidth;
    this.phases = Math.min(up, MAX_PHASES);
    double[][] real = new double[phases][taps];
    double maxAbsSum = 0;
    for (int p = 0; p < phases; p++) {
      double fraction = (double) p / phases;
      double sum = 0;
      for (int m = 0; m < taps; m++) {
        real[p][m] = kernel.at(fraction + halfWidth - 1 - m);
        sum += real[p][m];
      }
      double absSum = 0;
      for (int m = 0; m < taps; m++) {
        real[p][m] /= sum; // every phase passes DC with gain exactly 1
        absSum += Math.abs(real[p][m]);
      }
      maxAbsSum = Math.max(maxAbsSum, absSum);
    }
    // |sample| ≤ 2^15, so Σ|c| · 2^shift must stay below 2^16 for the int sum not to overflow;
    // rounding moves Σ|c| by at most one unit per tap, hence the margin.
    this.shift = Math.min(20,
        (int) Math.floor(Math.log((65535.0 - taps) / maxAbsSum) / Math.log(2)));
    this.coefficients = quantise(real, shift);
  }

  /** The resampler from {@code sourceRate} to 8 kHz; common rates are designed once and kept. */
  public static Resampler toCodecRate(int sourceRate) {
    if (sourceRate < WavReader.MIN_SAMPLE_RATE || sourceRate > WavReader.MAX_SAMPLE_RATE) {
      throw new IllegalArgumentException("source rate " + sourceRate + " Hz outside "
          + WavReader.MIN_SAMPLE_RATE + ".." + WavReader.MAX_SAMPLE_RATE);
    }
    Resampler cached = CACHE.get(sourceRate);
    if (cached != null) {
      return cached;
    }
    Resampler designed = new Resampler(sourceRate);
    // Bounded: files at odd rates should not pin a few MB of filter each forever.
    if (CACHE.size() < MAX_CACHED) {
      Resampler raced = CACHE.putIfAbsent(sourceRate, designed);
      return raced != null ? raced : designed;
    }
    return designed;
  }

  public int sourceRate() {
    return sourceRate;
  }

  /** {@code round(inputLength · 8000 / sourceRate)}: the output spans the input's duration. */
  public int outputLength(int inputLength) {
    return (int) ((2L * inputLength * up + down) / (2L * down));
  }

  /** Resamples a whole clip; at 8 kHz already, the result is a copy. */
  public short[] resample(short[] input) {
    if (sourceRate == TARGET_RATE) {
      return input.clone();
    }
    int outputLength = outputLength(input.length);
    short[] output = new short[outputLength];
    // Zeros around the clip, so every output sample has a full window of inputs.
    int[] padded = new int[input.length + taps + 2];
    for (int k = 0; k < input.length; k++) {
      padded[halfWidth + k] = input[k];
    }
    int stepWhole = down / up;
    int stepRemainder = down % up;
    int whole = 0;
    int remainder = 0;
    long rounding = 1L << (shift - 1);
    for (int n = 0; n < outputLength; n++) {
      int index = whole;
      int phase;
      if (phases == up) {
        phase = remainder;
      } else {
        phase = (int) (((long) remainder * phases + up / 2) / up);
        if (phase == phases) {
          phase = 0;
          index++;
        }
      }
      // Window of input samples index − halfWidth + 1 .. index + halfWidth, i.e. padded[index + 1 ..].
      int acc = dot(padded, index + 1, coefficients, phase * taps, taps);
      output[n] = saturate((int) ((acc + rounding) >> shift));
      whole += stepWhole;
      remainder += stepRemainder;
      if (remainder >= up) {
        remainder -= up;
        whole++;
      }
    }
    return output;
  }

  /** Kept as a plain counted loop so that the JIT vectorises it. */
  private static int dot(int[] x, int xOffset, int[] c, int cOffset, int length) {
    int acc = 0;
    for (int k = 0; k < length; k++) {
      acc += x[xOffset + k] * c[cOffset + k];
    }
    return acc;
  }

  private static short saturate(int v) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
  }

  /** Rounds to integers and puts each phase's rounding error on its largest tap, so Σ = 2^shift. */
  private static int[] quantise(double[][] real, int shift) {
    int phases = real.length;
    int taps = real[0].length;
    int[] out = new int[phases * taps];
    int one = 1 << shift;
    for (int p = 0; p < phases; p++) {
      int sum = 0;
      int largest = 0;
      for (int m = 0; m < taps; m++) {
        int c = (int) Math.round(real[p][m] * one);
        out[p * taps + m] = c;
        sum += c;
        if (Math.abs(c) > Math.abs(out[p * taps + largest])) {
          largest = m;
        }
      }
      out[p * taps + largest] += one - sum;
    }
    return out;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public String toString() {
    return "Resampler[" + sourceRate + " Hz -> " + TARGET_RATE + " Hz, " + phases + " phases x "
        + taps + " taps]";
  }
}

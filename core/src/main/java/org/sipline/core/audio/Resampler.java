package org.sipline.core.audio;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.sipline.core.spi.AudioFrames;

/**
 * Converts mono 16-bit PCM from a file's sample rate to a call's rate (8 kHz for G.711, 16 kHz for
 * G.722, 48 kHz for Opus) with windowed-sinc FIR filters, so that nothing above the new Nyquist
 * frequency folds back into the band. The description below is for 8 kHz; other targets scale every
 * frequency and the intermediate rate with the target.
 *
 * <p>The response keeps everything up to 85 % of the lower rate's Nyquist frequency (3.4 kHz, the
 * telephone band, when going down to 8 kHz) and attenuates by {@value #STOP_BAND_DB} dB from that
 * Nyquist frequency on (4 kHz): the cut-off lies below 4 kHz. That attenuation is beyond G.711's
 * own quantisation noise (its SNR is about 38 dB), so more would cost time for nothing audible.
 * Going up (rates below 8 kHz) the same response interpolates and removes the images.
 *
 * <p>How: rates of {@value #MIN_INTERMEDIATE_RATE} Hz and more are first divided by an integer
 * factor down to 11–22 kHz with a short filter ({@link IntegerDecimator}). At that intermediate
 * rate the sharp filter (3.4 → 4 kHz) runs as a plain FIR, which vectorises, and when the rate is a
 * multiple of 8 kHz it also does the last division (16 kHz, 32 kHz, 48 kHz ...). Otherwise a short
 * polyphase filter ({@link PolyphaseFilter}) does the exact rational step to 8 kHz: the band above
 * 4 kHz is already gone, so it only has to remove the images of 0–4 kHz, and about ten taps do
 * that. The same long filter as a polyphase stage would be fewer multiplications in total, but a
 * dot product per output that the JIT does not vectorise: measured about 3× slower. Rates whose
 * ratio to 8000 has a large numerator (say 44101 Hz) use {@value #MAX_PHASES} phases, the nearest
 * taken: a timing error below 1/2048 sample.
 *
 * <p>Rates below {@value #MIN_INTERMEDIATE_RATE} Hz (other than 8 kHz) go through one sharp
 * polyphase stage: there the images of 0–4 kHz lie too close for a short second stage.
 *
 * <p>Cost: the filters are designed once per source rate and kept (instances are immutable and
 * shared); {@link #resample} allocates its output and a few working arrays per call, nothing per
 * sample, and sums in integers (exact DC gain) so the JIT vectorises the loops.
 */
public final class Resampler {
  /** The rate {@link #toCodecRate} produces: the G.711 codecs' 8 kHz. */
  public static final int TARGET_RATE = AudioFrames.SAMPLE_RATE;

  static final double STOP_BAND_DB = 55;
  static final double PASS_BAND_FRACTION = 0.85;
  static final int MAX_PHASES = 1024;

  /** The first stage never goes below this, so its filter's transition band stays wide. */
  static final int MIN_INTERMEDIATE_RATE = 11_000;

  private static final int MAX_CACHED = 32;
  private static final ConcurrentMap<Long, Resampler> CACHE = new ConcurrentHashMap<>();

  private final int sourceRate;
  private final int targetRate;

  /** Null when the source rate is low enough for the sharp filter to run at it. */
  private final IntegerDecimator decimator;

  /** The sharp telephone-band filter at the intermediate rate; null when the polyphase is sharp. */
  private final IntegerDecimator sharp;

  /** Null at 8 kHz (the resampler copies) and when {@link #sharp} already lands on 8 kHz. */
  private final PolyphaseFilter polyphase;

  private Resampler(int sourceRate, int targetRate) {
    this.sourceRate = sourceRate;
    this.targetRate = targetRate;
    if (sourceRate == targetRate) {
      this.decimator = null;
      this.sharp = null;
      this.polyphase = null;
      return;
    }
    double nyquist = Math.min(sourceRate, targetRate) / 2.0;
    double passEdge = PASS_BAND_FRACTION * nyquist;
    int factor = decimationFactor(sourceRate, targetRate);
    double stageRate = (double) sourceRate / factor;
    // Stage one only has to keep what would fold into 0..nyquist out of it: its stop band
    // starts at stageRate − nyquist; the rest of the work is the sharp filter's.
    this.decimator =
        factor == 1
            ? null
            : new IntegerDecimator(
                factor,
                new KaiserLowPass(
                    passEdge / sourceRate, (stageRate - nyquist) / sourceRate, STOP_BAND_DB));
    KaiserLowPass sharpKernel =
        new KaiserLowPass(passEdge / stageRate, nyquist / stageRate, STOP_BAND_DB);
    int gcd = gcd(targetRate * factor, sourceRate);
    int up = targetRate * factor / gcd;
    int down = sourceRate / gcd;
    if (stageRate < minIntermediateRate(targetRate)) {
      this.sharp = null;
      this.polyphase = new PolyphaseFilter(up, down, sharpKernel, MAX_PHASES);
    } else if (up == 1) {
      this.sharp = new IntegerDecimator(down, sharpKernel);
      this.polyphase = null;
    } else {
      this.sharp = new IntegerDecimator(1, sharpKernel);
      // Only the images of 0..nyquist, from stageRate − nyquist on, are left to remove.
      this.polyphase =
          new PolyphaseFilter(
              up,
              down,
              new KaiserLowPass(
                  passEdge / stageRate, (stageRate - nyquist) / stageRate, STOP_BAND_DB),
              MAX_PHASES);
    }
  }

  /**
   * The resampler from {@code sourceRate} to 8 kHz; common rates are designed once and kept.
   *
   * @param sourceRate the input's rate in Hz
   * @return the resampler
   */
  public static Resampler toCodecRate(int sourceRate) {
    return between(sourceRate, TARGET_RATE);
  }

  /**
   * The resampler from {@code sourceRate} to a call's rate; common pairs are designed once and
   * kept.
   *
   * @param sourceRate the input's rate in Hz
   * @param targetRate a call's rate ({@link AudioFrames#isCallRate})
   * @return the resampler
   * @throws IllegalArgumentException for a source rate no WAV file has, or a target that is no
   *     call's rate
   */
  public static Resampler between(int sourceRate, int targetRate) {
    if (sourceRate < WavReader.MIN_SAMPLE_RATE || sourceRate > WavReader.MAX_SAMPLE_RATE) {
      throw new IllegalArgumentException(
          "source rate "
              + sourceRate
              + " Hz outside "
              + WavReader.MIN_SAMPLE_RATE
              + ".."
              + WavReader.MAX_SAMPLE_RATE);
    }
    AudioFrames.checkRate(targetRate);
    long key = (long) sourceRate << 32 | targetRate;
    Resampler cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    Resampler designed = new Resampler(sourceRate, targetRate);
    // Bounded: files at odd rates should not pin a few MB of filter each forever.
    if (CACHE.size() < MAX_CACHED) {
      Resampler raced = CACHE.putIfAbsent(key, designed);
      return raced != null ? raced : designed;
    }
    return designed;
  }

  /**
   * The output's rate.
   *
   * @return the rate in Hz
   */
  public int targetRate() {
    return targetRate;
  }

  /**
   * The input's rate.
   *
   * @return the rate in Hz
   */
  public int sourceRate() {
    return sourceRate;
  }

  /**
   * How far, in input samples, the filters reach to either side of an output sample's time: an
   * output computed from a stretch of input is the same as the whole clip's when the stretch holds
   * this much on both sides ({@link ChunkResampler} relies on it).
   */
  int support() {
    int stage1 = decimator == null ? 1 : decimator.factor();
    int reach = decimator == null ? 0 : (decimator.taps() - 1) / 2;
    if (sharp != null) {
      reach += (sharp.taps() - 1) / 2 * stage1;
    }
    if (polyphase != null) {
      reach += (polyphase.taps() / 2 + 1) * stage1;
    }
    // One more output period for the rounding of an output's position to the input grid.
    return reach + (sourceRate + targetRate - 1) / targetRate;
  }

  /**
   * The input offsets at which a stretch may start so that every stage's outputs fall where they
   * fall for the whole clip: the stages' decimation phases and the polyphase filter's phase 0.
   */
  int alignment() {
    int stage1 = decimator == null ? 1 : decimator.factor();
    int later = sharp == null ? 1 : sharp.factor();
    if (polyphase != null) {
      later = lcm(later, polyphase.down());
    }
    return lcm(stage1 * later, sourceRate / gcd(sourceRate, targetRate));
  }

  /**
   * {@code round(inputLength · targetRate / sourceRate)}: the output spans the input's duration.
   *
   * @param inputLength how many input samples
   * @return how many output samples
   */
  public int outputLength(int inputLength) {
    return (int) ((2L * inputLength * targetRate + sourceRate) / (2L * sourceRate));
  }

  /**
   * Resamples a whole clip; at the target rate already, the result is a copy.
   *
   * @param input the clip at the source rate
   * @return the clip at the target rate
   */
  public short[] resample(short[] input) {
    if (decimator == null && sharp == null && polyphase == null) {
      return input.clone();
    }
    int outLength = outputLength(input.length);
    int[] stage;
    if (decimator != null) {
      stage = decimator.decimate(input);
      stage = sharp == null ? stage : sharp.decimate(stage);
    } else if (sharp != null) {
      stage = sharp.decimate(input);
    } else {
      stage = new int[input.length];
      for (int i = 0; i < input.length; i++) {
        stage[i] = input[i];
      }
    }
    if (polyphase != null) {
      return polyphase.filter(stage, outLength);
    }
    // Integer stages give ⌈length / factor⌉ samples, never fewer than the rounded duration.
    short[] output = new short[outLength];
    for (int n = 0; n < outLength; n++) {
      output[n] = (short) stage[n];
    }
    return output;
  }

  /**
   * The factor for stage one. A multiple of twice the target goes to twice the target, where the
   * sharp filter also halves the rate and no polyphase stage is needed. Otherwise the largest
   * factor that keeps the intermediate rate at {@link #minIntermediateRate} or more, preferring one
   * that divides the rate (an integer intermediate rate keeps the polyphase ratio small); 1 for one
   * stage.
   */
  static int decimationFactor(int sourceRate) {
    return decimationFactor(sourceRate, TARGET_RATE);
  }

  static int decimationFactor(int sourceRate, int targetRate) {
    if (sourceRate % (2 * targetRate) == 0) {
      return sourceRate / (2 * targetRate);
    }
    int largest = sourceRate / minIntermediateRate(targetRate);
    for (int factor = largest; factor >= 2; factor--) {
      if (sourceRate % factor == 0) {
        return factor;
      }
    }
    return Math.max(1, largest);
  }

  /** {@value #MIN_INTERMEDIATE_RATE} Hz for an 8 kHz target, scaled with the target. */
  static int minIntermediateRate(int targetRate) {
    return (int) ((long) MIN_INTERMEDIATE_RATE * targetRate / TARGET_RATE);
  }

  private static int lcm(int a, int b) {
    return a / gcd(a, b) * b;
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
    if (decimator == null && sharp == null && polyphase == null) {
      return "Resampler[" + sourceRate + " Hz, copy]";
    }
    StringBuilder stages = new StringBuilder();
    if (decimator != null) {
      stages
          .append("1/")
          .append(decimator.factor())
          .append(" decimation (")
          .append(decimator.taps())
          .append(" taps), then ");
    }
    if (sharp != null) {
      stages
          .append(sharp.factor() == 1 ? "" : "1/" + sharp.factor() + " ")
          .append("sharp FIR (")
          .append(sharp.taps())
          .append(" taps)")
          .append(polyphase == null ? "" : ", then ");
    }
    if (polyphase != null) {
      stages
          .append(polyphase.phases())
          .append(" phases x ")
          .append(polyphase.taps())
          .append(" taps");
    }
    return "Resampler[" + sourceRate + " Hz -> " + targetRate + " Hz: " + stages + "]";
  }
}

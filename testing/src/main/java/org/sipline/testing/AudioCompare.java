package org.sipline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares received audio with what was sent, for tests that check a media path end to end (16-bit
 * PCM, any rate; G.711 telephony is 8 kHz mono).
 *
 * <p>{@link #bestMatch} finds where the sent signal sits inside the recording: the normalised
 * cross-correlation {@code Σ ref[i]·rec[i+lag] / √(Σ ref[i]² · Σ rec[i+lag]²)}, summed over the
 * samples both cover, maximised over a window of lags. A G.711 round trip of the same audio scores
 * above 0.95; unrelated audio stays near 0. Lags whose overlap is shorter than half of the shorter
 * signal are not considered, so a few lucky samples at the edge cannot win.
 */
public final class AudioCompare {
  /** Silence detection looks at windows of 10 ms. */
  private static final int WINDOWS_PER_SECOND = 100;

  private AudioCompare() {}

  /**
   * The best alignment of {@code reference} inside {@code recorded}.
   *
   * @param correlation the normalised cross-correlation at that lag, -1..1
   * @param lagSamples where the reference starts in the recording: {@code recorded[i + lag]} lines
   *     up with {@code reference[i]}; positive means the recording is late
   */
  public record Match(double correlation, int lagSamples) {
    /**
     * The lag in milliseconds at {@code sampleRate}.
     *
     * @param sampleRate the signals' rate in Hz
     * @return the lag in milliseconds
     */
    public double lagMillis(int sampleRate) {
      return lagSamples * 1000.0 / sampleRate;
    }
  }

  /** A run of samples {@code [from, to)}. */
  public record Span(int from, int to) {
    /**
     * Checks that the run is not negative.
     *
     * @param from the first sample
     * @param to the end, exclusive
     */
    public Span {
      if (from < 0 || to < from) {
        throw new IllegalArgumentException("span must have 0 <= from <= to: " + from + ".." + to);
      }
    }

    /**
     * How many samples the run holds.
     *
     * @return {@code to - from}
     */
    public int length() {
      return to - from;
    }

    /**
     * How long the run lasts.
     *
     * @param sampleRate the signal's rate in Hz
     * @return the duration in milliseconds
     */
    public double millis(int sampleRate) {
      return length() * 1000.0 / sampleRate;
    }
  }

  /**
   * {@link #bestMatch(short[], short[], int)} with the lag window given as a duration.
   *
   * @param reference the signal sent
   * @param recorded the signal as the far end recorded it
   * @param sampleRate both signals' rate in Hz
   * @param maxLag the most the recording may lead or lag
   * @return the best alignment
   */
  public static Match bestMatch(
      short[] reference, short[] recorded, int sampleRate, Duration maxLag) {
    if (sampleRate < 1) {
      throw new IllegalArgumentException("sampleRate < 1: " + sampleRate);
    }
    return bestMatch(reference, recorded, (int) (maxLag.toMillis() * sampleRate / 1000));
  }

  /**
   * The lag in {@code -maxLagSamples..maxLagSamples} at which {@code reference} correlates best
   * with {@code recorded}.
   *
   * @throws IllegalArgumentException when a signal is empty or the window is negative
   * @param reference the signal sent
   * @param recorded the signal as the far end recorded it
   * @param maxLagSamples the most the recording may lead or lag, in samples
   * @return the best alignment
   */
  public static Match bestMatch(short[] reference, short[] recorded, int maxLagSamples) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(recorded, "recorded");
    if (reference.length == 0 || recorded.length == 0) {
      throw new IllegalArgumentException(
          "cannot correlate empty audio: reference "
              + reference.length
              + " samples, recorded "
              + recorded.length);
    }
    if (maxLagSamples < 0) {
      throw new IllegalArgumentException("maxLagSamples < 0: " + maxLagSamples);
    }
    long[] refEnergy = prefixEnergy(reference);
    long[] recEnergy = prefixEnergy(recorded);
    // Lag 0 always overlaps by the shorter signal's full length, so there is always a match.
    int minOverlap = Math.max(1, Math.min(reference.length, recorded.length) / 2);
    Match best = new Match(correlation(reference, recorded, refEnergy, recEnergy, 0), 0);
    for (int lag = -maxLagSamples; lag <= maxLagSamples; lag++) {
      int overlap = Math.min(reference.length, recorded.length - lag) - Math.max(0, -lag);
      if (lag == 0 || overlap < minOverlap) {
        continue;
      }
      double correlation = correlation(reference, recorded, refEnergy, recEnergy, lag);
      if (correlation > best.correlation()) {
        best = new Match(correlation, lag);
      }
    }
    return best;
  }

  private static double correlation(
      short[] reference, short[] recorded, long[] refEnergy, long[] recEnergy, int lag) {
    int first = Math.max(0, -lag);
    int end = Math.min(reference.length, recorded.length - lag);
    long dot = 0;
    for (int i = first; i < end; i++) {
      dot += reference[i] * recorded[i + lag];
    }
    double energy =
        (double) (refEnergy[end] - refEnergy[first])
            * (recEnergy[end + lag] - recEnergy[first + lag]);
    return energy == 0 ? 0 : dot / Math.sqrt(energy);
  }

  /**
   * Root mean square of {@code samples[from, to)}; 0 for an empty range.
   *
   * @param samples the signal
   * @param from the first sample of the range
   * @param to the end of the range, exclusive
   * @return the RMS, in sample units
   */
  public static double rms(short[] samples, int from, int to) {
    Objects.checkFromToIndex(from, to, samples.length);
    if (from == to) {
      return 0;
    }
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) samples[i] * samples[i];
    }
    return Math.sqrt(sum / (to - from));
  }

  /**
   * The runs of 10 ms windows whose RMS is at most {@code maxRms}, each at least {@code minLength}
   * long, in order. A trailing partial window counts as a window.
   *
   * @param samples the signal
   * @param sampleRate its rate in Hz
   * @param maxRms the loudest a window may be and count as silent
   * @param minLength the shortest run reported
   * @return the silent runs
   */
  public static List<Span> silentSpans(
      short[] samples, int sampleRate, double maxRms, Duration minLength) {
    if (sampleRate < WINDOWS_PER_SECOND) {
      throw new IllegalArgumentException("sampleRate < " + WINDOWS_PER_SECOND + ": " + sampleRate);
    }
    if (maxRms < 0) {
      throw new IllegalArgumentException("maxRms < 0: " + maxRms);
    }
    int window = sampleRate / WINDOWS_PER_SECOND;
    long minSamples = minLength.toMillis() * sampleRate / 1000;
    List<Span> spans = new ArrayList<>();
    int start = -1;
    for (int from = 0; from < samples.length; from += window) {
      int to = Math.min(samples.length, from + window);
      boolean silent = rms(samples, from, to) <= maxRms;
      if (silent && start < 0) {
        start = from;
      } else if (!silent && start >= 0) {
        addIfLong(spans, start, from, minSamples);
        start = -1;
      }
    }
    if (start >= 0) {
      addIfLong(spans, start, samples.length, minSamples);
    }
    return spans;
  }

  private static void addIfLong(List<Span> spans, int from, int to, long minSamples) {
    if (to - from >= minSamples) {
      spans.add(new Span(from, to));
    }
  }

  private static long[] prefixEnergy(short[] s) {
    long[] prefix = new long[s.length + 1];
    for (int i = 0; i < s.length; i++) {
      prefix[i + 1] = prefix[i] + (long) s[i] * s[i];
    }
    return prefix;
  }
}

package org.sipline.benchmarks.harness;

import java.util.Arrays;

/** Exact percentiles (nearest rank) of a set of values, kept sorted. */
public final class Percentiles {
  private final long[] sorted;

  public Percentiles(long[] values, int count) {
    if (count < 0 || count > values.length) {
      throw new IllegalArgumentException("count out of range 0.." + values.length + ": " + count);
    }
    this.sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /**
   * The smallest value that at least {@code percent} % of the values do not exceed; -1 when there
   * are no values.
   */
  public long at(double percent) {
    if (percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("percent out of range (0, 100]: " + percent);
    }
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(percent / 100 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  public long max() {
    return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
  }
}

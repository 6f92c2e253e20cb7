package org.sipline.benchmarks.media;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.sipline.benchmarks.harness.Percentiles;

/**
 * One media run's figures: delays as samples (nanoseconds per sample, -1 where the partner event
 * was not found), and single values (CPU, bytes, heap, counts, the machine's load and steal per
 * phase), each under a stable key that {@code media-summary.py} reads across runs.
 */
final class MediaResult {
  private final Map<String, long[]> samples = new LinkedHashMap<>();
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();

  void samples(String key, String label, long[] nanos) {
    samples.put(key, nanos);
    labels.put(key, label);
  }

  void value(String key, double v) {
    values.put(key, String.format(Locale.ROOT, "%.6g", v));
  }

  void value(String key, long v) {
    values.put(key, Long.toString(v));
  }

  void text(String key, String v) {
    values.put(key, v.replace('\n', ' '));
  }

  long[] samples(String key) {
    return samples.get(key);
  }

  String value(String key) {
    return values.get(key);
  }

  Map<String, String> values() {
    return Map.copyOf(values);
  }

  /** One line per sample: key, index, nanoseconds. */
  String tsv() {
    StringBuilder sb = new StringBuilder("measurement\tsample\tnanos\n");
    for (Map.Entry<String, long[]> e : samples.entrySet()) {
      long[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        sb.append(e.getKey()).append('\t').append(i).append('\t').append(v[i]).append('\n');
      }
    }
    return sb.toString();
  }

  /** key=value lines of the single values. */
  String properties() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    return sb.toString();
  }

  /** The delays as a table (p50, p99, max in ms) and the values as a list. */
  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| measurement | samples | p50 ms | p99 ms | max ms | unmatched |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Map.Entry<String, long[]> e : samples.entrySet()) {
      long[] all = e.getValue();
      long[] matched = Arrays.stream(all).filter(d -> d != -1).toArray();
      Percentiles p = new Percentiles(matched, matched.length);
      sb.append("| ")
          .append(labels.get(e.getKey()))
          .append(" | ")
          .append(matched.length)
          .append(" | ")
          .append(ms(p.at(50), matched.length))
          .append(" | ")
          .append(ms(p.at(99), matched.length))
          .append(" | ")
          .append(ms(p.max(), matched.length))
          .append(" | ")
          .append(all.length - matched.length)
          .append(" |\n");
    }
    sb.append('\n');
    for (Map.Entry<String, String> e : values.entrySet()) {
      sb.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    return sb.toString();
  }

  private static String ms(long nanos, int count) {
    return count == 0 ? "–" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}

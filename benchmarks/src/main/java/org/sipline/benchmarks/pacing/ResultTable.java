package org.sipline.benchmarks.pacing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.sipline.benchmarks.harness.ThreadSched;

/**
 * Writes phase results as one TSV row each (the raw record) and as a Markdown summary: per call
 * count, the median over runs with its min–max.
 */
final class ResultTable {
  private static final String[] COLUMNS = {
    "run",
    "calls",
    "condition",
    "impl",
    "streams",
    "packets",
    "intervals",
    "p50_ms",
    "p99_ms",
    "p999_ms",
    "max_ms",
    "lost_frames",
    "missed_by_capture",
    "late",
    "max_lateness_ms",
    "disordered",
    "cpu_share",
    "heap_connected_per_call_bytes",
    "heap_playing_per_call_bytes",
    "gc_window_count",
    "gc_window_max_pause_ms",
    "gc_run_count",
    "gc_run_max_pause_ms",
    "gc_run_over_5ms",
    "setup_ms",
    "load_before",
    "load_after",
    "capture_dropped",
    "capture",
    "pacer_cpu_share",
    "pacer_wait_share",
    "pacer_wait_per_wakeup_us",
    "steal_ms",
    "pacer_policy",
    "wire"
  };

  private ResultTable() {}

  static String tsvHeader() {
    return String.join("\t", COLUMNS) + "\n";
  }

  static String tsvRows(PhaseResult r) {
    StringBuilder sb = new StringBuilder();
    if (r.sipline() != null) {
      sb.append(row(r, "sipline", r.sipline(), r.siplineCpu(), true));
    }
    if (r.baresip() != null) {
      sb.append(row(r, "baresip", r.baresip(), r.baresipCpu(), false));
    }
    return sb.toString();
  }

  private static String row(
      PhaseResult r, String impl, PacingStats s, double cpu, boolean withLoad) {
    LoadResult l = withLoad ? r.load() : null;
    GcPauses w = withLoad ? r.gcInWindow() : null;
    GcPauses g = withLoad ? r.gcWholeRun() : null;
    ThreadSched.Counters p = withLoad ? r.pacer() : null;
    List<String> v =
        List.of(
            Integer.toString(r.run()),
            Integer.toString(r.calls()),
            r.condition(),
            impl,
            Integer.toString(s.streams()),
            Long.toString(s.packets()),
            Long.toString(s.intervals()),
            ms(s.p50()),
            ms(s.p99()),
            ms(s.p999()),
            ms(s.max()),
            Long.toString(s.lostFrames()),
            Long.toString(s.missedByCapture()),
            Long.toString(s.late()),
            ms(s.maxLateness()),
            Long.toString(s.disordered()),
            String.format(Locale.ROOT, "%.4f", cpu),
            l == null ? "" : Long.toString(l.perCall(l.heapConnected())),
            l == null ? "" : Long.toString(l.perCall(l.heapPlaying())),
            w == null ? "" : Long.toString(w.collections()),
            w == null ? "" : ms(w.maxPauseNanos()),
            g == null ? "" : Long.toString(g.collections()),
            g == null ? "" : ms(g.maxPauseNanos()),
            g == null ? "" : Long.toString(g.over5ms()),
            l == null ? "" : Long.toString(l.setupMillis()),
            String.format(Locale.ROOT, "%.2f", r.loadBefore()),
            String.format(Locale.ROOT, "%.2f", r.loadAfter()),
            Long.toString(r.captureDropped()),
            r.captureMethod(),
            p == null ? "" : share(p.runNanos(), r.windowNanos()),
            p == null ? "" : share(p.waitNanos(), r.windowNanos()),
            p == null ? "" : String.format(Locale.ROOT, "%.1f", r.pacerWaitPerWakeup() / 1e3),
            String.format(Locale.ROOT, "%.0f", r.stealNanos() / 1e6),
            withLoad ? r.pacerPolicy() : "",
            withLoad ? r.wire() : "");
    return String.join("\t", v) + "\n";
  }

  /** Per call count: medians (min–max) over runs, sipline beside baresip, and their ratios. */
  static String markdown(List<PhaseResult> results) {
    StringBuilder sb = new StringBuilder();
    // Deviation = |interval − nominal|; a literal '|' would split the Markdown cell.
    sb.append(
        "| calls | impl | runs | dev p50 ms | dev p99 ms | dev p99.9 ms | dev max ms | lost"
            + " | late | CPU of 2 cores | heap/call connected | heap/call playing"
            + " | GC max pause in window ms | pacer wait for CPU per wake-up µs"
            + " | hypervisor steal in window ms | pacer policy |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Group group : groups(results)) {
      List<PhaseResult> rs = results.stream().filter(group::holds).toList();
      String calls = group.label();
      List<PhaseResult> withSipline = rs.stream().filter(r -> r.sipline() != null).toList();
      List<PhaseResult> withBaresip = rs.stream().filter(r -> r.baresip() != null).toList();
      if (!withSipline.isEmpty()) {
        sb.append("| ")
            .append(calls)
            .append(" | sipline | ")
            .append(withSipline.size())
            .append(" | ")
            .append(msSpread(withSipline, r -> r.sipline().p50()))
            .append(" | ")
            .append(msSpread(withSipline, r -> r.sipline().p99()))
            .append(" | ")
            .append(msSpread(withSipline, r -> r.sipline().p999()))
            .append(" | ")
            .append(msSpread(withSipline, r -> r.sipline().max()))
            .append(" | ")
            .append(spread(withSipline, r -> r.sipline().lostFrames(), "%.0f"))
            .append(" | ")
            .append(spread(withSipline, r -> r.sipline().late(), "%.0f"))
            .append(" | ")
            .append(spread(withSipline, r -> 100 * r.siplineCpu(), "%.1f %%"))
            .append(" | ")
            .append(
                spread(
                    withSipline,
                    r -> r.load().perCall(r.load().heapConnected()) / 1024.0,
                    "%.1f KiB"))
            .append(" | ")
            .append(
                spread(
                    withSipline,
                    r -> r.load().perCall(r.load().heapPlaying()) / 1024.0,
                    "%.1f KiB"))
            .append(" | ")
            .append(msSpread(withSipline, r -> r.gcInWindow().maxPauseNanos()))
            .append(" | ")
            .append(spread(withSipline, r -> r.pacerWaitPerWakeup() / 1e3, "%.1f"))
            .append(" | ")
            .append(spread(withSipline, r -> r.stealNanos() / 1e6, "%.0f"))
            .append(" | ")
            .append(
                String.join(
                    ", ",
                    new TreeSet<>(withSipline.stream().map(PhaseResult::pacerPolicy).toList())))
            .append(" |\n");
      }
      if (!withBaresip.isEmpty()) {
        sb.append("| ")
            .append(calls)
            .append(" | baresip | ")
            .append(withBaresip.size())
            .append(" | ")
            .append(msSpread(withBaresip, r -> r.baresip().p50()))
            .append(" | ")
            .append(msSpread(withBaresip, r -> r.baresip().p99()))
            .append(" | ")
            .append(msSpread(withBaresip, r -> r.baresip().p999()))
            .append(" | ")
            .append(msSpread(withBaresip, r -> r.baresip().max()))
            .append(" | ")
            .append(spread(withBaresip, r -> r.baresip().lostFrames(), "%.0f"))
            .append(" | ")
            .append(spread(withBaresip, r -> r.baresip().late(), "%.0f"))
            .append(" | ")
            .append(spread(withBaresip, r -> 100 * r.baresipCpu(), "%.1f %%"))
            .append(" | – | – | – | – | ")
            .append(spread(withBaresip, r -> r.stealNanos() / 1e6, "%.0f"))
            .append(" | – |\n");
      }
    }
    List<PhaseResult> both =
        results.stream().filter(r -> r.sipline() != null && r.baresip() != null).toList();
    if (!both.isEmpty()) {
      sb.append("\n| calls | sipline/baresip p99 | sipline/baresip max |\n|---|---|---|\n");
      for (Group group : groups(both)) {
        List<PhaseResult> rs = both.stream().filter(group::holds).toList();
        sb.append("| ")
            .append(group.label())
            .append(" | ")
            .append(spread(rs, r -> (double) r.sipline().p99() / r.baresip().p99(), "%.2f"))
            .append(" | ")
            .append(spread(rs, r -> (double) r.sipline().max() / r.baresip().max(), "%.2f"))
            .append(" |\n");
      }
    }
    return sb.toString();
  }

  /** The results of one call count in one condition (idle, or under a flood). */
  private record Group(int calls, String condition) {
    boolean holds(PhaseResult r) {
      return r.calls() == calls && r.condition().equals(condition);
    }

    /** The call count, with the condition when it is not idle: "500", "500 flood 5000/s". */
    String label() {
      return condition.equals(PhaseResult.IDLE) ? Integer.toString(calls) : calls + " " + condition;
    }
  }

  /** Every (calls, condition) of {@code results}, by call count, idle first. */
  private static List<Group> groups(List<PhaseResult> results) {
    return results.stream()
        .map(r -> new Group(r.calls(), r.condition()))
        .distinct()
        .sorted(
            Comparator.comparingInt(Group::calls)
                .thenComparing(g -> !g.condition().equals(PhaseResult.IDLE))
                .thenComparing(Group::condition))
        .toList();
  }

  private static String msSpread(List<PhaseResult> rs, ToDoubleFunction<PhaseResult> nanos) {
    return spread(rs, r -> nanos.applyAsDouble(r) / 1e6, "%.3f");
  }

  /** "median (min–max)", or just the value for one run. */
  static String spread(List<PhaseResult> rs, ToDoubleFunction<PhaseResult> f, String format) {
    List<Double> values = new ArrayList<>();
    for (PhaseResult r : rs) {
      values.add(f.applyAsDouble(r));
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    String median = String.format(Locale.ROOT, format, median(v));
    if (v.length == 1) {
      return median;
    }
    return median
        + " ("
        + String.format(Locale.ROOT, format, v[0])
        + "–"
        + String.format(Locale.ROOT, format, v[v.length - 1])
        + ")";
  }

  /** The middle value; for an even count the mean of the two middle ones. */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String share(long part, long whole) {
    return String.format(Locale.ROOT, "%.4f", (double) part / whole);
  }

  private static String ms(long nanos) {
    return nanos < 0 ? "" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}

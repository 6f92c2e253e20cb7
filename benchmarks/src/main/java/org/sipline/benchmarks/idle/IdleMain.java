package org.sipline.benchmarks.idle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.ProcStat;
import org.sipline.benchmarks.harness.TsharkCapture;
import org.sipline.benchmarks.latency.ServerProcess;
import org.sipline.benchmarks.media.ServerHeap;

/**
 * Issue 13's idle lines: the server jar as users run it (no JVM flags, jainsip) serves {@code
 * --lines-file} with N lines, each with an account of its own that it registers at boot, paced by
 * {@code --register-rate}, with a registrar of the harness's ({@link RecordingRegistrar}, which
 * grants {@code --expires} seconds and times every REGISTER; tshark on {@code lo} times them on the
 * wire with the kernel's timestamps, which a starved harness thread cannot bunch). Once every line
 * is registered and a settle time has passed: live heap (class histogram after a full collection),
 * resident set and threads; then the server's CPU over a window in which the lines only keep their
 * registrations (the refreshes the grant implies fall into it). The same with one line gives the
 * per-line cost.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.sipline.benchmarks.idle.IdleMain \
 *       [--lines 1,1000] [--register-rate 20] [--expires 120] [--seconds 120] --out DIR
 * </pre>
 */
public final class IdleMain {
  private static final Duration SETTLE = Duration.ofSeconds(10);

  /** How long the capture may take to write what the registrar already answered. */
  private static final Duration CAPTURE_FLUSH = Duration.ofSeconds(30);

  private IdleMain() {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts = List.of(1, 1000);
    int rate = 20;
    int expires = 120;
    int seconds = 120;
    Path jar = Path.of("server", "target", "sipline.jar");
    Path out = Path.of("target", "idle-" + System.currentTimeMillis());
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--lines" -> counts = parseCounts(v);
        case "--register-rate" -> rate = Integer.parseInt(v);
        case "--expires" -> expires = Integer.parseInt(v);
        case "--seconds" -> seconds = Integer.parseInt(v);
        case "--server-jar" -> jar = Path.of(v);
        case "--out" -> out = Path.of(v);
        default -> {
          System.err.println(
              "unknown option "
                  + args[i]
                  + "; usage: IdleMain [--lines 1,1000] [--register-rate 20] [--expires 120]"
                  + " [--seconds 120] [--server-jar PATH] [--out DIR]");
          System.exit(2);
        }
      }
    }
    if (args.length % 2 != 0 || rate < 1 || expires < 10 || seconds < 1) {
      System.err.println(
          "options come in pairs; --register-rate ≥ 1, --expires ≥ 10, --seconds ≥ 1");
      System.exit(2);
    }
    Files.createDirectories(out);
    StringBuilder summary = new StringBuilder("| figure |");
    List<Map<String, String>> rows = new ArrayList<>();
    for (int n : counts) {
      rows.add(run(n, rate, expires, seconds, jar, out.resolve("lines-" + n)));
    }
    for (int n : counts) {
      summary.append(' ').append(n).append(" lines |");
    }
    summary.append("\n|---|").append("---|".repeat(counts.size())).append('\n');
    for (String key : rows.get(0).keySet()) {
      summary.append("| ").append(key).append(" |");
      for (Map<String, String> r : rows) {
        summary.append(' ').append(r.get(key)).append(" |");
      }
      summary.append('\n');
    }
    if (counts.size() == 2) {
      perLine(summary, counts, rows);
    }
    Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8);
    System.out.println(summary);
    System.out.println("results in " + out.toAbsolutePath());
  }

  private static Map<String, String> run(
      int n, int rate, int expires, int seconds, Path jar, Path dir) throws Exception {
    Files.createDirectories(dir);
    Map<String, String> r = new LinkedHashMap<>();
    try (RecordingRegistrar registrar = RecordingRegistrar.start(expires)) {
      Path linesFile = dir.resolve("lines.txt");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < n; i++) {
        lines.append(
            String.format(
                Locale.ROOT, "line-%d account=idle%05d@127.0.0.1:%d%n", i, i, registrar.port()));
      }
      Files.writeString(linesFile, lines);
      r.put("load_start", String.format(Locale.ROOT, "%.2f", ProcStat.loadAverage()));
      long t0 = System.nanoTime();
      try (TsharkCapture wire =
              TsharkCapture.filtered(
                  dir, "registers", "udp and dst port " + registrar.port(), 65_535);
          ServerProcess server =
              ServerProcess.start(
                  dir,
                  jar,
                  List.of(),
                  List.of(
                      "--lines-file",
                      linesFile.toAbsolutePath().toString(),
                      "--register-rate",
                      Integer.toString(rate)))) {
        Await.until(
            Duration.ofSeconds(60 + 3L * n / rate),
            n + " lines registered",
            () -> registrar.registrations() >= n);
        long registeredAt = System.nanoTime();
        // The first REGISTER of each line: what --register-rate paces.
        List<RecordingRegistrar.Arrival> boot =
            registrar.arrivals().stream().filter(RecordingRegistrar.Arrival::first).toList();
        long first = boot.get(0).nanos();
        StringBuilder arrivals = new StringBuilder("ms_after_first\n");
        for (RecordingRegistrar.Arrival a : boot) {
          arrivals.append(String.format(Locale.ROOT, "%.3f%n", (a.nanos() - first) / 1e6));
        }
        Files.writeString(dir.resolve("boot-registers.tsv"), arrivals);
        long last = boot.get(boot.size() - 1).nanos();
        r.put("lines", Integer.toString(n));
        r.put("register_rate_asked_per_s", Integer.toString(rate));
        r.put("boot_registers", Integer.toString(boot.size()));
        r.put("first_to_last_register_s", String.format(Locale.ROOT, "%.2f", (last - first) / 1e9));
        r.put(
            "mean_register_rate_per_s",
            boot.size() < 2
                ? "-"
                : String.format(Locale.ROOT, "%.2f", (boot.size() - 1) / ((last - first) / 1e9)));
        long[] read = boot.stream().mapToLong(RecordingRegistrar.Arrival::nanos).toArray();
        r.put(
            "max_registers_in_any_1s_as_read", Integer.toString(maxInWindow(read, 1_000_000_000L)));
        r.put(
            "max_registers_in_any_100ms_as_read",
            Integer.toString(maxInWindow(read, 100_000_000L)));
        long[] onWire = firstRegisters(wire, registrar.port(), registrar.callIds());
        r.put("first_registers_on_wire", Integer.toString(onWire.length));
        r.put(
            "max_registers_in_any_1s_on_wire",
            Integer.toString(maxInWindow(onWire, 1_000_000_000L)));
        r.put(
            "max_registers_in_any_100ms_on_wire",
            Integer.toString(maxInWindow(onWire, 100_000_000L)));
        r.put("min_gap_on_wire_ms", minGapMillis(onWire));
        r.put(
            "harness_start_to_all_registered_s",
            String.format(Locale.ROOT, "%.1f", (registeredAt - t0) / 1e9));
        Await.elapse(SETTLE);
        long pid = server.pid();
        r.put("live_heap_MiB", mib(ServerHeap.live(pid, dir.resolve("heap-idle.txt"))));
        r.put("rss_MiB", mib(ServerHeap.rss(pid)));
        r.put("threads", Long.toString(threads(pid)));
        int before = registrar.arrivals().size();
        long cpu0 = ProcStat.cpuNanos(pid);
        long wall0 = System.nanoTime();
        double loadBefore = ProcStat.loadAverage();
        Await.elapse(Duration.ofSeconds(seconds));
        long cpu = ProcStat.cpuNanos(pid) - cpu0;
        long wall = System.nanoTime() - wall0;
        int refreshes = registrar.arrivals().size() - before;
        int cores = Runtime.getRuntime().availableProcessors();
        r.put("window_s", String.format(Locale.ROOT, "%.1f", wall / 1e9));
        r.put(
            "window_load_start_end",
            String.format(Locale.ROOT, "%.2f→%.2f", loadBefore, ProcStat.loadAverage()));
        r.put("refreshes_in_window", Integer.toString(refreshes));
        r.put(
            "cpu_share_of_2_cores",
            String.format(Locale.ROOT, "%.3f %%", 100.0 * cpu / wall / cores));
        r.put("cpu_ms_per_s", String.format(Locale.ROOT, "%.2f", cpu / 1e6 / (wall / 1e9)));
        r.put("ended", Instant.now().toString());
      }
    }
    return r;
  }

  /** The most of the (ascending) times {@code at} within any {@code span}: a sliding window. */
  static int maxInWindow(long[] at, long span) {
    int max = 0;
    int from = 0;
    for (int to = 0; to < at.length; to++) {
      while (at[to] - at[from] >= span) {
        from++;
      }
      max = Math.max(max, to - from + 1);
    }
    return max;
  }

  private static String minGapMillis(long[] at) {
    long min = Long.MAX_VALUE;
    for (int i = 1; i < at.length; i++) {
      min = Math.min(min, at[i] - at[i - 1]);
    }
    return at.length < 2 ? "-" : String.format(Locale.ROOT, "%.3f", min / 1e6);
  }

  /**
   * The kernel's capture time (ns since the epoch) of the first REGISTER of each Call-ID, read once
   * the capture file holds a REGISTER of every Call-ID the registrar answered (or {@link
   * #CAPTURE_FLUSH} has passed: then the count on the wire says what is missing); stopping tshark
   * sooner loses what it had not yet written.
   */
  private static long[] firstRegisters(TsharkCapture wire, int port, Set<String> answered)
      throws IOException, InterruptedException {
    List<String> decodeAs = List.of("udp.port==" + port + ",sip");
    List<String> fields = List.of("frame.time_epoch", "sip.Method", "sip.Call-ID");
    Set<String> seen = new HashSet<>();
    List<Long> times = new ArrayList<>();
    for (String[] row :
        wire.fieldsOnceWritten(
            decodeAs, fields, rows -> registerCallIds(rows).containsAll(answered), CAPTURE_FLUSH)) {
      if (row[1].equals("REGISTER") && seen.add(row[2])) {
        times.add(Math.round(Double.parseDouble(row[0]) * 1e9));
      }
    }
    if (!seen.containsAll(answered)) {
      System.err.printf(
          Locale.ROOT,
          "%d of the %d REGISTER Call-IDs the registrar answered are not in the capture after %s%n",
          answered.size() - answered.stream().filter(seen::contains).count(),
          answered.size(),
          CAPTURE_FLUSH);
    }
    return times.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static Set<String> registerCallIds(List<String[]> rows) {
    Set<String> ids = new HashSet<>();
    for (String[] row : rows) {
      if (row[1].equals("REGISTER")) {
        ids.add(row[2]);
      }
    }
    return ids;
  }

  private static void perLine(
      StringBuilder s, List<Integer> counts, List<Map<String, String>> rows) {
    int a = counts.get(0);
    int b = counts.get(1);
    s.append("\nPer idle line (").append(b).append(" lines minus ").append(a).append("):\n\n");
    for (String key : List.of("live_heap_MiB", "rss_MiB", "threads", "cpu_ms_per_s")) {
      double d =
          Double.parseDouble(rows.get(1).get(key)) - Double.parseDouble(rows.get(0).get(key));
      double per = d / (b - a);
      String unit =
          switch (key) {
            case "live_heap_MiB", "rss_MiB" -> String.format(Locale.ROOT, "%.1f KiB", per * 1024);
            case "threads" -> String.format(Locale.ROOT, "%.3f", per);
            default -> String.format(Locale.ROOT, "%.4f ms CPU per s", per);
          };
      s.append("- ").append(key).append(": ").append(unit).append('\n');
    }
  }

  private static long threads(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("Threads:")) {
        return Long.parseLong(line.substring(8).trim());
      }
    }
    throw new IOException("/proc/" + pid + "/status has no Threads line");
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  private static List<Integer> parseCounts(String v) {
    List<Integer> counts = new ArrayList<>();
    for (String p : v.split(",")) {
      counts.add(Integer.parseInt(p.trim()));
    }
    return counts;
  }
}

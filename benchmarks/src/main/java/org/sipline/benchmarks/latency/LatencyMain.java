package org.sipline.benchmarks.latency;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Latency through the real stack (see {@link LatencyRun}); per-sample delays to {@code
 * samples.tsv}, the p50/p99/max table to {@code summary.md}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.sipline.benchmarks.latency.LatencyMain \
 *       --samples 200 [--beside-calls 500]
 * </pre>
 */
public final class LatencyMain {
  private LatencyMain() {}

  public static void main(String[] args) throws Exception {
    LatencyOptions options;
    try {
      options = LatencyOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LatencyResult r = run(options);
    System.out.println(summary(options, r));
    System.out.println("results in " + options.out().toAbsolutePath());
  }

  /** Runs once and writes samples.tsv and summary.md into the options' directory. */
  static LatencyResult run(LatencyOptions options) throws Exception {
    Path out = Files.createDirectories(options.out());
    LatencyResult r = LatencyRun.run(options, out.resolve("run"));
    Files.writeString(out.resolve("samples.tsv"), r.tsv(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("summary.md"), summary(options, r), StandardCharsets.UTF_8);
    return r;
  }

  private static String summary(LatencyOptions o, LatencyResult r) {
    return "date: "
        + ZonedDateTime.now(ZoneId.systemDefault())
        + ", cores: "
        + Runtime.getRuntime().availableProcessors()
        + ", java: "
        + System.getProperty("java.version")
        + ", server JVM flags: "
        + (o.serverJvm().isEmpty() ? "(none)" : String.join(" ", o.serverJvm()))
        + ", calls beside: "
        + r.besideCalls()
        + ", load average "
        + r.loadBefore()
        + " → "
        + r.loadAfter()
        + ", warm-up per kind: "
        + o.warmup()
        + " (status and health: "
        + o.statusWarmup()
        + ")\n\n"
        + r.markdown();
  }
}

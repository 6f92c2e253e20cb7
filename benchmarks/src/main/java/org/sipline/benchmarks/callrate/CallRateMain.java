package org.sipline.benchmarks.callrate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Call rate through the real stack (see {@link CallRateRun}): the summary table per rate and the
 * knee — the first rate whose set-up p99 passed 50 ms — to {@code summary.md}, per-call set-up
 * times to {@code setup-<rate>.tsv}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.sipline.benchmarks.callrate.CallRateMain \
 *       --rates 20,50,100,150,200 --seconds 10
 * </pre>
 */
public final class CallRateMain {
  private CallRateMain() {}

  public static void main(String[] args) throws Exception {
    CallRateOptions options;
    try {
      options = CallRateOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    List<CallRateStep> steps = run(options);
    System.out.println(summary(options, steps));
    System.out.println("results in " + options.out().toAbsolutePath());
  }

  /** Runs every rate once and writes summary.md into the options' directory. */
  static List<CallRateStep> run(CallRateOptions options) throws Exception {
    Path out = Files.createDirectories(options.out());
    List<CallRateStep> steps = CallRateRun.run(options, out.resolve("run"));
    Files.writeString(out.resolve("summary.md"), summary(options, steps), StandardCharsets.UTF_8);
    return steps;
  }

  static String summary(CallRateOptions o, List<CallRateStep> steps) {
    StringBuilder sb = new StringBuilder();
    sb.append("date: ")
        .append(ZonedDateTime.now(ZoneId.systemDefault()))
        .append(", cores: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(", java: ")
        .append(System.getProperty("java.version"))
        .append(", server JVM flags: ")
        .append(o.serverJvm().isEmpty() ? "(none)" : String.join(" ", o.serverJvm()))
        .append(", lines: ")
        .append(o.linesPerDirection())
        .append(" in + ")
        .append(o.linesPerDirection())
        .append(" out, ")
        .append(o.seconds())
        .append(" s per rate, calls held ")
        .append(o.holdMillis())
        .append(" ms\n\n")
        .append(CallRateStep.header());
    for (CallRateStep s : steps) {
      sb.append(s.row());
    }
    sb.append('\n').append(knee(steps)).append('\n');
    return sb.toString();
  }

  /** The first rate whose set-up p99 passed 50 ms, and the first with a failed call. */
  static String knee(List<CallRateStep> steps) {
    String knee = "knee: set-up p99 stayed within 50 ms at every rate run";
    for (CallRateStep s : steps) {
      if (s.pastKnee()) {
        knee = "knee: set-up p99 passed 50 ms at " + s.rate() + " calls/s in + out";
        break;
      }
    }
    String failed = "no failed call at any rate";
    for (CallRateStep s : steps) {
      if (!s.clean()) {
        failed = "first failed call at " + s.rate() + " calls/s in + out";
        break;
      }
    }
    return knee + "; " + failed + ".";
  }
}

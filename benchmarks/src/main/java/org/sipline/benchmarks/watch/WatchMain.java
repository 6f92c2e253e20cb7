package org.sipline.benchmarks.watch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * WatchStatus fan-out through the real server (see {@link WatchRun}); the figures to {@code
 * values.properties} and {@code summary.md}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.sipline.benchmarks.watch.WatchMain \
 *       [--watchers 1000] [--statuses 1000] --out DIR
 * </pre>
 */
public final class WatchMain {
  private WatchMain() {}

  public static void main(String[] args) throws Exception {
    WatchOptions options;
    try {
      options = WatchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String summary = summary(options, run(options));
    System.out.println(summary);
    System.out.println("results in " + options.out().toAbsolutePath());
  }

  static Map<String, String> run(WatchOptions options) throws Exception {
    Path out = Files.createDirectories(options.out().toAbsolutePath());
    Map<String, String> r = WatchRun.run(options, out.resolve("run"));
    StringBuilder props = new StringBuilder();
    r.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
    Files.writeString(out.resolve("values.properties"), props, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("summary.md"), summary(options, r), StandardCharsets.UTF_8);
    return r;
  }

  private static String summary(WatchOptions o, Map<String, String> r) {
    StringBuilder s =
        new StringBuilder("date: ")
            .append(ZonedDateTime.now(ZoneId.systemDefault()))
            .append(", cores: ")
            .append(Runtime.getRuntime().availableProcessors())
            .append(", java: ")
            .append(System.getProperty("java.version"))
            .append(", server JVM flags: ")
            .append(o.serverJvm().isEmpty() ? "(none)" : String.join(" ", o.serverJvm()))
            .append(", pause ")
            .append(o.pauseMinMs())
            .append('-')
            .append(o.pauseMaxMs())
            .append(" ms\n\n| figure | value |\n|---|---|\n");
    r.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    return s.toString();
  }
}

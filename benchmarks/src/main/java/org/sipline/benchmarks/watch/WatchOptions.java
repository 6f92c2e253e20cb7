package org.sipline.benchmarks.watch;

import java.nio.file.Path;
import java.util.List;
import org.sipline.benchmarks.harness.OptionValues;

/**
 * What a fan-out run measures, from the command line; every value checked, a bad one named.
 *
 * @param watchers WatchStatus streams on the one line
 * @param channels gRPC connections the watchers are spread over
 * @param warmup statuses recorded and delivered first, not counted (compiles both sides' paths)
 * @param statuses statuses timed
 * @param pauseMinMs smallest pause between two statuses
 * @param pauseMaxMs largest pause between two statuses (each pause is uniform in between)
 * @param serverJar the server's shaded jar
 * @param serverJvm JVM flags of the server process (none: as {@code java -jar} runs it)
 * @param serverCpus the CPUs the server runs on ({@code taskset -c} list), or "" for all
 * @param out where the run directory and results go
 */
record WatchOptions(
    int watchers,
    int channels,
    int warmup,
    int statuses,
    int pauseMinMs,
    int pauseMaxMs,
    Path serverJar,
    List<String> serverJvm,
    String serverCpus,
    Path out) {

  static String usage() {
    return String.join(
        "\n",
        "usage: java -cp benchmarks.jar org.sipline.benchmarks.watch.WatchMain [options]",
        "  --watchers 1000      WatchStatus streams on the line",
        "  --channels 8         gRPC connections they share",
        "  --warmup 300         statuses delivered first, not counted",
        "  --statuses 1000      statuses timed",
        "  --pause-ms 20-40     pause between two statuses, uniform in the range",
        "  --server-jar PATH    default server/target/sipline.jar",
        "  --server-jvm \"FLAGS\" JVM flags of the server (default none)",
        "  --server-cpus LIST   run the server on these CPUs only (taskset -c, e.g. 0); start",
        "                       the harness under taskset on others to tell their shares apart",
        "  --quick              a smoke run: 20 watchers, 20 statuses",
        "  --out DIR            results directory (default target/watch-<time>)");
  }

  static WatchOptions parse(String[] args) {
    int watchers = 1000;
    int channels = 8;
    int warmup = 300;
    int statuses = 1000;
    int pauseMin = 20;
    int pauseMax = 40;
    Path jar = Path.of("server", "target", "sipline.jar");
    List<String> jvm = List.of();
    String cpus = "";
    Path out = OptionValues.timestamped("watch");
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--quick")) {
        watchers = 20;
        channels = 2;
        warmup = 10;
        statuses = 20;
        continue;
      }
      String value = OptionValues.valueAfter(args, i++, usage());
      switch (name) {
        case "--watchers" -> watchers = OptionValues.wholeNumber(name, value, 1, 100_000);
        case "--channels" -> channels = OptionValues.wholeNumber(name, value, 1, 1000);
        case "--warmup" -> warmup = OptionValues.wholeNumber(name, value, 0, 1_000_000);
        case "--statuses" -> statuses = OptionValues.wholeNumber(name, value, 1, 1_000_000);
        case "--pause-ms" -> {
          String[] range = value.split("-", -1);
          if (range.length != 2) {
            throw new IllegalArgumentException(
                "--pause-ms: want MIN-MAX, e.g. 20-40, got " + value);
          }
          pauseMin = OptionValues.wholeNumber(name, range[0].trim(), 0, 60_000);
          pauseMax = OptionValues.wholeNumber(name, range[1].trim(), pauseMin, 60_000);
        }
        case "--server-jar" -> jar = Path.of(value);
        case "--server-jvm" -> jvm = OptionValues.jvmFlags(value);
        case "--server-cpus" -> cpus = cpuList(value);
        case "--out" -> out = Path.of(value);
        default -> throw OptionValues.unknown(name, usage());
      }
    }
    return new WatchOptions(
        watchers, channels, warmup, statuses, pauseMin, pauseMax, jar, jvm, cpus, out);
  }

  /** A taskset CPU list: numbers, ranges and commas only (it goes on a command line). */
  static String cpuList(String value) {
    if (!value.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*")) {
      throw new IllegalArgumentException(
          "--server-cpus: want a CPU list such as 0 or 0-1 or 0,2, got " + value);
    }
    return value;
  }
}

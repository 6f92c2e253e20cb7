package org.sipline.benchmarks.callrate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sipline.benchmarks.harness.OptionValues;

/**
 * What a call-rate run does, from the command line; every value checked, a bad one named.
 *
 * @param rates the steps, calls per second in and as many out, in the order run
 * @param seconds how long each step places calls
 * @param warmupSeconds how long calls are placed at the first rate before the steps, not counted (a
 *     fresh JVM interprets its first calls' code: they queue up behind each other)
 * @param holdMillis how long each call lasts once answered (the far end hangs up)
 * @param lines lines per direction; 0: enough for the highest rate's calls at once
 * @param serverJar the server's shaded jar
 * @param serverJvm JVM flags of the server process
 * @param out where the run directory and results go
 */
record CallRateOptions(
    List<Integer> rates,
    int seconds,
    int warmupSeconds,
    int holdMillis,
    int lines,
    Path serverJar,
    List<String> serverJvm,
    Path out) {

  static String usage() {
    return String.join(
        "\n",
        "usage: java -cp benchmarks.jar org.sipline.benchmarks.callrate.CallRateMain [options]",
        "  --rates 20,50,100,150,200  calls per second in (and as many out), one step each",
        "  --seconds 10               how long each step places calls",
        "  --warmup-seconds 10        calls at the first rate first, not counted",
        "  --hold-ms 2000             how long an answered call lasts (the far end hangs up)",
        "  --lines N                  lines per direction (default: the highest rate's calls",
        "                             at once, with room for set-up and teardown)",
        "  --server-jar PATH          default server/target/sipline.jar",
        "  --server-jvm \"FLAGS\"       JVM flags of the server (default none)",
        "  --out DIR                  results directory (default target/callrate-<time>)");
  }

  /** Lines per direction the run serves: given, or enough for the highest rate. */
  int linesPerDirection() {
    if (lines > 0) {
      return lines;
    }
    int top = rates.stream().mapToInt(Integer::intValue).max().orElseThrow();
    // A call holds its line for the hold, its set-up and teardown, and until the line is seen
    // free again; two seconds on top covers that with room at the knee.
    return (int) Math.ceil(top * (holdMillis + 2000) / 1000.0);
  }

  static CallRateOptions parse(String[] args) {
    List<Integer> rates = List.of(20, 50, 100, 150, 200);
    int seconds = 10;
    int warmup = 10;
    int hold = 2000;
    int lines = 0;
    Path jar = Path.of("server", "target", "sipline.jar");
    List<String> jvm = List.of();
    Path out = OptionValues.timestamped("callrate");
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = OptionValues.valueAfter(args, i++, usage());
      switch (name) {
        case "--rates" -> rates = parseRates(value);
        case "--seconds" -> seconds = OptionValues.wholeNumber(name, value, 1, 3600);
        case "--warmup-seconds" -> warmup = OptionValues.wholeNumber(name, value, 0, 3600);
        case "--hold-ms" -> hold = OptionValues.wholeNumber(name, value, 0, 600_000);
        case "--lines" -> lines = OptionValues.wholeNumber(name, value, 1, 5000);
        case "--server-jar" -> jar = Path.of(value);
        case "--server-jvm" -> jvm = OptionValues.jvmFlags(value);
        case "--out" -> out = Path.of(value);
        default -> throw OptionValues.unknown(name, usage());
      }
    }
    CallRateOptions o = new CallRateOptions(rates, seconds, warmup, hold, lines, jar, jvm, out);
    if (o.linesPerDirection() > 5000) {
      throw new IllegalArgumentException(
          "the rates and hold need "
              + o.linesPerDirection()
              + " lines per direction, more than 5000: lower --rates or --hold-ms, or give"
              + " --lines");
    }
    return o;
  }

  private static List<Integer> parseRates(String value) {
    List<Integer> rates = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      rates.add(OptionValues.wholeNumber("--rates", part.strip(), 1, 2000));
    }
    return List.copyOf(rates);
  }
}

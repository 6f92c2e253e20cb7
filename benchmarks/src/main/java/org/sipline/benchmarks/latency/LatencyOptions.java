package org.sipline.benchmarks.latency;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sipline.benchmarks.harness.OptionValues;

/**
 * What a latency run measures, from the command line; every value checked, a bad one named.
 *
 * @param samples measured requests per kind (StartCall, PlayWavFiles, Mute)
 * @param warmup requests per kind made first and not counted (class loading, JIT)
 * @param statusSamples SipGetSipStatus round trips measured
 * @param statusWarmup round trips made first and not counted: a unary call is cheap, and both JVMs'
 *     compilers need thousands of them before its path is compiled code
 * @param serverJar the server's shaded jar
 * @param serverJvm JVM flags of the server process (none: as {@code java -jar} runs it)
 * @param besideCalls calls a separate load process streams on the same machine meanwhile
 * @param out where the run directory and results go
 * @param backend the server's backend: "jainsip" or "pjsip"
 * @param pjsipNative the folder holding libsiplinepj.so, for the pjsip backend
 * @param startCallOnly measure SipStartCall → INVITE only (profiling the set-up path, issue 16)
 * @param incoming measure incoming INVITE → 180 and → 200 too (auto-answer 0)
 */
record LatencyOptions(
    int samples,
    int warmup,
    int statusSamples,
    int statusWarmup,
    Path serverJar,
    List<String> serverJvm,
    int besideCalls,
    Path out,
    String backend,
    Path pjsipNative,
    boolean startCallOnly,
    boolean incoming) {

  static String usage() {
    return String.join(
        "\n",
        "usage: java -cp benchmarks.jar org.sipline.benchmarks.latency.LatencyMain [options]",
        "  --samples 200            measured requests per kind (StartCall, PlayWavFiles, Mute)",
        "  --warmup 10              requests per kind first, not counted",
        "  --status-samples 1000    SipGetSipStatus round trips (and as many health checks)",
        "  --status-warmup 5000     round trips of each first, not counted",
        "  --server-jar PATH        default server/target/sipline.jar",
        "  --server-jvm \"FLAGS\"     JVM flags of the server (default none)",
        "  --beside-calls N         a load process streams N calls meanwhile (default 0)",
        "  --out DIR                results directory (default target/latency-<time>)",
        "  --backend jainsip|pjsip  the server's backend (default jainsip)",
        "  --pjsip-native DIR       where libsiplinepj.so is (default backend-pjsip/target/native)",
        "  --only start-call        SipStartCall → INVITE only, nothing else (default: all)",
        "  --only set-up            SipStartCall → INVITE and incoming INVITE → 180 / 200 only");
  }

  static LatencyOptions parse(String[] args) {
    int samples = 200;
    int warmup = 10;
    int statusSamples = 1000;
    int statusWarmup = 5000;
    Path jar = Path.of("server", "target", "sipline.jar");
    List<String> jvm = List.of();
    int beside = 0;
    String backend = "jainsip";
    Path pjsipNative = Path.of("backend-pjsip", "target", "native");
    boolean startCallOnly = false;
    boolean incoming = true;
    Path out = OptionValues.timestamped("latency");
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = OptionValues.valueAfter(args, i++, usage());
      switch (name) {
        case "--samples" -> samples = OptionValues.wholeNumber(name, value, 1, 100_000);
        case "--warmup" -> warmup = OptionValues.wholeNumber(name, value, 0, 10_000);
        case "--status-samples" ->
            statusSamples = OptionValues.wholeNumber(name, value, 1, 10_000_000);
        case "--status-warmup" ->
            statusWarmup = OptionValues.wholeNumber(name, value, 0, 10_000_000);
        case "--server-jar" -> jar = Path.of(value);
        case "--server-jvm" -> jvm = OptionValues.jvmFlags(value);
        case "--beside-calls" -> beside = OptionValues.wholeNumber(name, value, 0, 5000);
        case "--out" -> out = Path.of(value);
        case "--backend" -> {
          if (!value.equals("jainsip") && !value.equals("pjsip")) {
            throw new IllegalArgumentException("--backend: want jainsip or pjsip: '" + value + "'");
          }
          backend = value;
        }
        case "--pjsip-native" -> pjsipNative = Path.of(value);
        case "--only" -> {
          if (!value.equals("start-call") && !value.equals("set-up")) {
            throw new IllegalArgumentException(
                "--only: want start-call or set-up: '" + value + "'");
          }
          startCallOnly = true;
          incoming = value.equals("set-up");
        }
        default -> throw OptionValues.unknown(name, usage());
      }
    }
    if (backend.equals("pjsip") && !Files.isRegularFile(pjsipNative.resolve("libsiplinepj.so"))) {
      throw new IllegalArgumentException(
          "--backend pjsip: no libsiplinepj.so in " + pjsipNative.toAbsolutePath());
    }
    return new LatencyOptions(
        samples,
        warmup,
        statusSamples,
        statusWarmup,
        jar,
        jvm,
        beside,
        out,
        backend,
        pjsipNative.toAbsolutePath(),
        startCallOnly,
        incoming);
  }
}

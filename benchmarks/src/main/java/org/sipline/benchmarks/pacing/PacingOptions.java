package org.sipline.benchmarks.pacing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.sipline.benchmarks.harness.OptionValues;

/**
 * What a pacing run measures, from the command line; every value checked, a bad one named.
 *
 * @param calls the concurrent call counts to measure, one phase each (0: baresip alone)
 * @param runs how many times the whole set of phases is repeated
 * @param warmup how long the streams run before the window opens
 * @param window how long the measurement window lasts
 * @param out where run directories and results go
 * @param jvmFlags the load JVM's GC and heap flags
 * @param baresip whether baresip streams beside sipline in every phase
 * @param capture "tshark", "socket", or "auto" (tshark when it can capture, else socket)
 * @param jfrSettings the JFR settings the load JVM records with: "default", "profile" or the path
 *     of a .jfc file
 * @param stack "line" (core lines on the jainsip backend, real SIP calls) or "media" (the backend's
 *     media engine alone)
 * @param realtime the backend option media.realtime for the load: "default" (the option left out,
 *     so the product's own default), "off" (the pacer at normal priority, for comparison) or a
 *     SCHED_FIFO priority 1..99
 * @param spinClock whether the media stack's pacer spins instead of parking (an experiment)
 * @param floodRate 0, or out-of-dialog INVITEs per second from a stranger during a second window of
 *     each phase, measured beside an idle window of the same length (line stack only)
 * @param backend the SIP backend the line stack's lines run on: "jainsip" or "pjsip"
 * @param pjsipNative the folder holding libsiplinepj.so, for the pjsip backend
 * @param metrics the metrics modes each phase is measured in, in this order, each a load of its own
 *     ("on": the server's meters bound and fed, "off": none); empty when not asked, which measures
 *     without metrics and labels nothing
 * @param codecs the codecs the line stack's calls use, each measured in turn within a call count
 *     ("pcmu", "pcma", "g722", "opus"): the load offers only that codec and the callee answers it
 * @param srtp the SRTP modes measured in turn for each codec: "off" (RTP/AVP) or "require" (the
 *     load's --srtp require, the callee answering RTP/SAVP with a key of its own)
 */
record PacingOptions(
    List<Integer> calls,
    int runs,
    Duration warmup,
    Duration window,
    Path out,
    List<String> jvmFlags,
    boolean baresip,
    String capture,
    String jfrSettings,
    String stack,
    String realtime,
    boolean spinClock,
    int floodRate,
    String backend,
    Path pjsipNative,
    List<String> metrics,
    List<String> codecs,
    List<String> srtp) {

  static final List<String> DEFAULT_JVM_FLAGS =
      List.of("-XX:+UseZGC", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch");
  private static final int MAX_CALLS = 5000;
  private static final int MAX_FLOOD_RATE = 20_000;

  static String usage() {
    return String.join(
        "\n",
        "usage: java -cp benchmarks.jar org.sipline.benchmarks.pacing.PacingMain [options]",
        "  --calls 1,100,500,1000   concurrent calls per phase (0 = baresip alone)",
        "  --runs 3                 repetitions of the whole set",
        "  --warmup 5               seconds of streaming before the window",
        "  --seconds 20             seconds in the measurement window",
        "  --out DIR                results directory (default target/pacing-<time>)",
        "  --jvm \"FLAGS\"            load JVM flags (default "
            + String.join(" ", DEFAULT_JVM_FLAGS)
            + ")",
        "  --baresip true|false     stream baresip beside sipline (default true)",
        "  --capture auto|tshark|socket   how packets are timed (default tshark)",
        "  --jfr default|profile|FILE.jfc   JFR settings of the load JVM (default default)",
        "  --stack line|media       real SIP calls of core lines, or the media engine alone"
            + " (default line)",
        "  --realtime default|off|N the pacer's media.realtime: the product's default, normal"
            + " priority, or SCHED_FIFO priority N (1..99)",
        "  --clock system|spin      the media stack's pacer parks (system) or spins (experiment)",
        "  --flood 0                INVITE/s from a stranger (SIPp) in a second window per phase,"
            + " beside the idle one (0: no flood; --stack line)",
        "  --backend jainsip|pjsip  the backend the line stack's lines run on (default jainsip)",
        "  --pjsip-native DIR       where libsiplinepj.so is (default backend-pjsip/target/native)",
        "  --metrics on|off|on,off  the server's Prometheus meters in the load (--stack line);"
            + " a list measures each call count once per mode, alternating, in that order;"
            + " noscrape: bound and fed but never scraped; hook: only the pacer's lateness"
            + " meter, nothing else bound",
        "  --codec pcmu|pcma|g722|opus   the calls' codec (--stack line; default pcmu); a list"
            + " measures each in turn, alternating within a call count",
        "  --srtp off|require       the calls' SRTP (--stack line; default off); a list measures"
            + " each in turn for every codec");
  }

  static PacingOptions parse(String[] args) {
    List<Integer> calls = List.of(1, 100, 500, 1000);
    int runs = 3;
    Duration warmup = Duration.ofSeconds(5);
    Duration window = Duration.ofSeconds(20);
    Path out = OptionValues.timestamped("pacing");
    List<String> jvm = DEFAULT_JVM_FLAGS;
    boolean baresip = true;
    String capture = "tshark";
    String jfr = "default";
    String stack = "line";
    String realtime = "default";
    boolean spin = false;
    int flood = 0;
    String backend = "jainsip";
    Path pjsipNative = Path.of("backend-pjsip", "target", "native");
    List<String> metrics = List.of();
    List<String> codecs = List.of("pcmu");
    List<String> srtp = List.of("off");
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = OptionValues.valueAfter(args, i++, usage());
      switch (name) {
        case "--calls" -> calls = OptionValues.wholeNumbers(name, value, 0, MAX_CALLS);
        case "--runs" -> runs = OptionValues.wholeNumber(name, value, 1, 100);
        case "--warmup" ->
            warmup = Duration.ofSeconds(OptionValues.wholeNumber(name, value, 0, 600));
        case "--seconds" ->
            window = Duration.ofSeconds(OptionValues.wholeNumber(name, value, 1, 3600));
        case "--out" -> out = Path.of(value);
        case "--jvm" -> jvm = OptionValues.jvmFlags(value);
        case "--baresip" -> baresip = OptionValues.trueOrFalse(name, value);
        case "--capture" -> capture = OptionValues.oneOf(name, value, "auto", "tshark", "socket");
        case "--jfr" -> jfr = jfrSettings(value);
        case "--stack" -> stack = OptionValues.oneOf(name, value, "line", "media");
        case "--realtime" -> realtime = realtime(value);
        case "--clock" -> spin = OptionValues.oneOf(name, value, "system", "spin").equals("spin");
        case "--flood" -> flood = OptionValues.wholeNumber(name, value, 0, MAX_FLOOD_RATE);
        case "--backend" -> backend = OptionValues.oneOf(name, value, "jainsip", "pjsip");
        case "--pjsip-native" -> pjsipNative = Path.of(value);
        case "--metrics" -> metrics = metricsModes(value);
        case "--codec" ->
            codecs = OptionValues.distinctList(name, value, "pcmu", "pcma", "g722", "opus");
        case "--srtp" -> srtp = OptionValues.distinctList(name, value, "off", "require");
        default -> throw OptionValues.unknown(name, usage());
      }
    }
    if (calls.contains(0) && !baresip) {
      throw new IllegalArgumentException("--calls 0 measures baresip alone: needs --baresip true");
    }
    if (spin && !stack.equals("media")) {
      throw new IllegalArgumentException("--clock spin needs --stack media");
    }
    if (flood > 0 && !stack.equals("line")) {
      throw new IllegalArgumentException(
          "--flood needs --stack line: the media stack has no SIP" + " port to flood");
    }
    if (flood > 0 && calls.contains(0)) {
      throw new IllegalArgumentException(
          "--flood needs sipline calls: --calls 0 has no SIP port" + " to flood");
    }
    if (metrics.stream().anyMatch(m -> !m.equals("off")) && !stack.equals("line")) {
      throw new IllegalArgumentException(
          "--metrics on needs --stack line: the meters count lines, calls and the backend's pacing");
    }
    if (!stack.equals("line") && (!codecs.equals(List.of("pcmu")) || srtp.contains("require"))) {
      throw new IllegalArgumentException(
          "--codec and --srtp need --stack line: the media stack sends PCMU without SIP to key"
              + " SRTP or agree a codec");
    }
    if (backend.equals("pjsip")) {
      if (!stack.equals("line")) {
        throw new IllegalArgumentException("--backend pjsip needs --stack line");
      }
      if (!realtime.equals("default")) {
        throw new IllegalArgumentException(
            "--realtime is jainsip's media.realtime; the pjsip backend has no such option");
      }
      if (!Files.isRegularFile(pjsipNative.resolve("libsiplinepj.so"))) {
        throw new IllegalArgumentException(
            "--backend pjsip: no libsiplinepj.so in "
                + pjsipNative.toAbsolutePath()
                + " (build backend-pjsip with SIPLINE_PJPROJECT_PREFIX, or give --pjsip-native)");
      }
    }
    return new PacingOptions(
        calls,
        runs,
        warmup,
        window,
        out,
        jvm,
        baresip,
        capture,
        jfr,
        stack,
        realtime,
        spin,
        flood,
        backend,
        pjsipNative.toAbsolutePath(),
        metrics,
        codecs,
        srtp);
  }

  /** Whether the phases are labelled with their codec and SRTP mode: any but plain PCMU asked. */
  boolean labelsMedia() {
    return !codecs.equals(List.of("pcmu")) || !srtp.equals(List.of("off"));
  }

  /**
   * "on", "off", "noscrape" or "hook", or several in a comma-separated order, each once. The last
   * two split "on" to find what its cost is: the meters bound and fed without a scrape, and the
   * pacer's lateness meter alone (no line watches, no call records, no JVM binders' readers).
   */
  private static List<String> metricsModes(String value) {
    return OptionValues.distinctList("--metrics", value, "on", "off", "noscrape", "hook");
  }

  /**
   * The condition a window of this phase is labelled with.
   *
   * @param base what else the window had ("idle", "flood N/s")
   * @param metricsMode "on", "off", "noscrape", "hook", or null when --metrics was not given
   */
  static String condition(String base, String metricsMode) {
    return condition(base, metricsMode, null);
  }

  /**
   * As {@link #condition(String, String)}, with the calls' codec and SRTP when they are labelled.
   *
   * @param media e.g. "g722", "pcmu srtp"; null when only plain PCMU is measured
   */
  static String condition(String base, String metricsMode, String media) {
    String c = metricsMode == null ? base : base + ", metrics " + metricsMode;
    return media == null ? c : c + ", " + media;
  }

  /** "default", "off" or a priority 1..99, as the backend option takes it. */
  private static String realtime(String value) {
    if (value.equals("default") || value.equals("off")) {
      return value;
    }
    return Integer.toString(OptionValues.wholeNumber("--realtime", value, 1, 99));
  }

  private static String jfrSettings(String value) {
    if (value.equals("default") || value.equals("profile")) {
      return value;
    }
    Path file = Path.of(value);
    if (!value.endsWith(".jfc") || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "--jfr: want default, profile or an existing .jfc file:" + " '" + value + "'");
    }
    return file.toAbsolutePath().toString();
  }
}

package org.sipline.benchmarks.media;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sipline.benchmarks.harness.OptionValues;

/**
 * What a media run measures, from the command line; every value checked, a bad one named.
 *
 * @param phases which measurements run, in their fixed order
 * @param calls bidirectional calls on the server; more than one is its own run ({@link
 *     ManyCallsRun}: one line per call, every call echoing) instead of the phases
 * @param seconds each streaming window (caller → bot, bidirectional, 500 listeners)
 * @param warmupSeconds let pass before each window
 * @param listeners Listen streams on the call in the listeners phase
 * @param listenChannels gRPC connections the listeners are spread over
 * @param speakRounds utterances (first audio, mark) in the speak phase
 * @param clearRounds clears, and as many interrupts, in the clear phase
 * @param interruptWarmup refused Interrupt rpcs sent before the clear phase's rounds, so that the
 *     server's unary-rpc path is compiled as a long-running server's is (0: none, as a fresh one)
 * @param digits DTMF digits the caller sends in the dtmf phase
 * @param stallSeconds how long the stalled client stops reading (and the window read before)
 * @param stallWindowBytes the stalled client's HTTP/2 flow-control window
 * @param serverJar the server's shaded jar
 * @param serverJvm JVM flags of the server process (none: as {@code java -jar} runs it)
 * @param besideCalls calls a separate load process streams on the same machine meanwhile
 * @param manyAudio what each call of a many-calls run sends: the Converse's echo of its caller, or
 *     a WAV played with SipPlayWavFiles (the ONDEWO way), looped
 * @param out where the run directory and results go
 */
record MediaOptions(
    Set<Phase> phases,
    int calls,
    int seconds,
    int warmupSeconds,
    int listeners,
    int listenChannels,
    int speakRounds,
    int clearRounds,
    int interruptWarmup,
    int digits,
    int stallSeconds,
    int stallWindowBytes,
    Path serverJar,
    List<String> serverJvm,
    int besideCalls,
    ManyAudio manyAudio,
    Path out) {

  /** The bot audio of a many-calls run. */
  enum ManyAudio {
    /** A Converse per call sends every caller frame back (audio both ways through gRPC). */
    ECHO,
    /** SipPlayWavFiles per call, again whenever it has played; no live-media stream. */
    PLAY
  }

  /** The measurements, in the order a run makes them. */
  enum Phase {
    /** Caller → bot with one Converse stream; gRPC bytes per frame. */
    INBOUND,
    /** The Converse echoes the caller: one bidirectional stream, its CPU and pacing. */
    BIDIRECTIONAL,
    /** Caller → bot with the listeners beside the echoing Converse. */
    LISTEN,
    /** First audio of an utterance, and its mark. */
    SPEAK,
    /** Clear and Interrupt during an utterance. */
    CLEAR,
    /** DTMF digits from the caller. */
    DTMF,
    /** A Converse client that stops reading. */
    STALL;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: java -cp benchmarks.jar org.sipline.benchmarks.media.MediaMain [options]",
        "  --phases LIST            comma-separated of inbound, bidirectional, listen, speak,",
        "                           clear, dtmf, stall; or all (default: all but stall)",
        "  --calls 1                bidirectional calls; N > 1 runs only the many-calls",
        "                           measurement: N lines, each call's Converse echoing",
        "  --seconds 60             each streaming window",
        "  --warmup-seconds 5       before each window, not counted",
        "  --listeners 500          Listen streams in the listen phase",
        "  --listen-channels 8      gRPC connections the listeners share",
        "  --speak-rounds 200       utterances timed (first audio, mark)",
        "  --clear-rounds 200       clears timed, and as many interrupts",
        "  --interrupt-warmup 0     refused Interrupts sent first (warms the unary path)",
        "  --digits 100             DTMF digits the caller sends",
        "  --stall-seconds 60       the stall, and the reading window before it",
        "  --stall-window 65535     the stalled client's HTTP/2 flow-control window, bytes",
        "  --server-jar PATH        default server/target/sipline.jar",
        "  --server-jvm \"FLAGS\"     JVM flags of the server (default none)",
        "  --beside-calls N         a load process streams N calls meanwhile (default 0)",
        "  --many-audio echo        with --calls N: echo (a Converse per call echoing its",
        "                           caller) or play (SipPlayWavFiles of a 40 s WAV, looped)",
        "  --quick                  a smoke run: every phase, a few samples each (~1 min)",
        "  --out DIR                results directory (default target/media-<time>)");
  }

  static MediaOptions parse(String[] args) {
    Set<Phase> phases = EnumSet.complementOf(EnumSet.of(Phase.STALL));
    int calls = 1;
    int seconds = 60;
    int warmup = 5;
    int listeners = 500;
    int listenChannels = 8;
    int speak = 200;
    int clear = 200;
    int interruptWarmup = 0;
    int digits = 100;
    int stall = 60;
    int stallWindow = 65_535;
    Path jar = Path.of("server", "target", "sipline.jar");
    List<String> jvm = List.of();
    int beside = 0;
    ManyAudio manyAudio = ManyAudio.ECHO;
    Path out = OptionValues.timestamped("media");
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--quick")) {
        phases = EnumSet.allOf(Phase.class);
        seconds = 3;
        warmup = 1;
        listeners = 20;
        listenChannels = 2;
        speak = 5;
        clear = 5;
        digits = 5;
        stall = 4;
        continue;
      }
      String value = OptionValues.valueAfter(args, i++, usage());
      switch (name) {
        case "--phases" -> phases = phases(value);
        case "--calls" -> calls = OptionValues.wholeNumber(name, value, 1, 5000);
        case "--seconds" -> seconds = OptionValues.wholeNumber(name, value, 1, 3600);
        case "--warmup-seconds" -> warmup = OptionValues.wholeNumber(name, value, 0, 600);
        case "--listeners" -> listeners = OptionValues.wholeNumber(name, value, 1, 5000);
        case "--listen-channels" -> listenChannels = OptionValues.wholeNumber(name, value, 1, 100);
        case "--speak-rounds" -> speak = OptionValues.wholeNumber(name, value, 1, 100_000);
        case "--clear-rounds" -> clear = OptionValues.wholeNumber(name, value, 1, 100_000);
        case "--interrupt-warmup" ->
            interruptWarmup = OptionValues.wholeNumber(name, value, 0, 1_000_000);
        case "--digits" -> digits = OptionValues.wholeNumber(name, value, 1, 100_000);
        case "--stall-seconds" -> stall = OptionValues.wholeNumber(name, value, 1, 3600);
        case "--stall-window" ->
            stallWindow = OptionValues.wholeNumber(name, value, 65_535, 1 << 30);
        case "--server-jar" -> jar = Path.of(value);
        case "--server-jvm" -> jvm = OptionValues.jvmFlags(value);
        case "--beside-calls" -> beside = OptionValues.wholeNumber(name, value, 0, 5000);
        case "--many-audio" -> manyAudio = manyAudio(value);
        case "--out" -> out = Path.of(value);
        default -> throw OptionValues.unknown(name, usage());
      }
    }
    return new MediaOptions(
        phases,
        calls,
        seconds,
        warmup,
        listeners,
        listenChannels,
        speak,
        clear,
        interruptWarmup,
        digits,
        stall,
        stallWindow,
        jar,
        jvm,
        beside,
        manyAudio,
        out);
  }

  private static ManyAudio manyAudio(String value) {
    try {
      return ManyAudio.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--many-audio: unknown '" + value.trim() + "'; one of echo, play", e);
    }
  }

  private static Set<Phase> phases(String value) {
    if (value.equals("all")) {
      return EnumSet.allOf(Phase.class);
    }
    Set<Phase> set = EnumSet.noneOf(Phase.class);
    for (String p : value.split(",")) {
      try {
        set.add(Phase.valueOf(p.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--phases: unknown phase '"
                + p.trim()
                + "'; one of inbound, bidirectional, listen, speak, clear, dtmf, stall",
            e);
      }
    }
    return set;
  }
}

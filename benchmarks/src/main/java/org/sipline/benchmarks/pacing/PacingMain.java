package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.sipline.benchmarks.audio.SignalWav;
import org.sipline.benchmarks.harness.ProcStat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pacing and capacity harness: for each run and each call count, one {@link Phase}; raw rows to
 * {@code results.tsv}, the summary (medians over runs, min–max) to {@code summary.md}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.sipline.benchmarks.pacing.PacingMain \
 *       --calls 1,100,500,1000 --runs 3
 * </pre>
 */
public final class PacingMain {
  private static final Logger log = LoggerFactory.getLogger(PacingMain.class);

  /** The WAV outlasts warm-up and window by this much, since baresip hangs up when it ends. */
  private static final Duration WAV_MARGIN = Duration.ofSeconds(15);

  private PacingMain() {}

  public static void main(String[] args) throws Exception {
    PacingOptions options;
    try {
      options = PacingOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    List<PhaseResult> results = new ArrayList<>();
    List<String> failures = run(options, results);
    System.out.println(ResultTable.markdown(results));
    System.out.println("results in " + options.out().toAbsolutePath());
    if (!failures.isEmpty()) {
      failures.forEach(System.err::println);
      System.exit(1);
    }
  }

  /**
   * Runs every phase of {@code options}, adding what each measured to {@code results}; returns the
   * phases that failed, each with its reason.
   */
  static List<String> run(PacingOptions options, List<PhaseResult> results)
      throws IOException, InterruptedException {
    Path out = Files.createDirectories(options.out());
    Path wav = out.resolve("speech-8k-mono.wav");
    int wavMillis = (int) options.warmup().plus(options.window()).plus(WAV_MARGIN).toMillis();
    Files.write(wav, SignalWav.speechLike(8000, 1, wavMillis));
    writeMachine(out.resolve("machine.txt"), options);
    Path tsv = out.resolve("results.tsv");
    Files.writeString(tsv, ResultTable.tsvHeader(), StandardCharsets.UTF_8);
    List<String> failures = new ArrayList<>();
    for (int run = 1; run <= options.runs(); run++) {
      for (int calls : options.calls()) {
        // Without --metrics one phase per call count, as before; with it one per mode, in turn.
        List<String> modes = new ArrayList<>(options.metrics());
        if (modes.isEmpty()) {
          modes.add(null);
        }
        // Every codec with every SRTP mode, in turn within the call count: side by side in time.
        List<MediaVariant> media = new ArrayList<>();
        for (String codec : options.codecs()) {
          for (String srtp : options.srtp()) {
            media.add(new MediaVariant(codec, srtp));
          }
        }
        for (MediaVariant variant : media) {
          for (String metrics : modes) {
            Path dir =
                out.resolve("run-" + run)
                    .resolve(
                        "calls-"
                            + calls
                            + (options.labelsMedia() ? variant.dirSuffix() : "")
                            + (metrics == null ? "" : "-metrics-" + metrics));
            try {
              for (PhaseResult r : Phase.run(options, run, calls, dir, wav, metrics, variant)) {
                results.add(r);
                String rows = ResultTable.tsvRows(r);
                Files.writeString(tsv, rows, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                System.out.print(rows);
              }
            } catch (IOException | TimeoutException | RuntimeException e) {
              log.error("run {} with {} calls failed; its files are in {}", run, calls, dir, e);
              failures.add(
                  "run "
                      + run
                      + ", "
                      + calls
                      + " calls"
                      + (options.labelsMedia() ? ", " + variant.label() : "")
                      + (metrics == null ? "" : ", metrics " + metrics)
                      + ": "
                      + e);
            }
          }
        }
      }
    }
    Files.writeString(
        out.resolve("summary.md"), ResultTable.markdown(results), StandardCharsets.UTF_8);
    return failures;
  }

  private static void writeMachine(Path file, PacingOptions options) throws IOException {
    String text =
        String.join(
            "\n",
            "date: " + ZonedDateTime.now(ZoneId.systemDefault()),
            "cores: " + Runtime.getRuntime().availableProcessors(),
            "java: "
                + System.getProperty("java.vm.name")
                + " "
                + System.getProperty("java.version"),
            "os: " + System.getProperty("os.name") + " " + System.getProperty("os.version"),
            "load JVM flags: " + String.join(" ", options.jvmFlags()),
            "JFR settings: " + options.jfrSettings(),
            "stack: "
                + options.stack()
                + (options.stack().equals("line") ? ", backend " + options.backend() : ""),
            "pacer media.realtime: " + options.realtime(),
            "metrics: "
                + (options.metrics().isEmpty() ? "off" : String.join(" then ", options.metrics())),
            "codecs: "
                + String.join(" then ", options.codecs())
                + ", SRTP: "
                + String.join(" then ", options.srtp()),
            "INVITE flood: " + (options.floodRate() > 0 ? options.floodRate() + "/s" : "none"),
            "warm-up: "
                + options.warmup().toSeconds()
                + " s, window: "
                + options.window().toSeconds()
                + " s, runs: "
                + options.runs(),
            "load average at start: " + ProcStat.loadAverage(),
            "");
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}

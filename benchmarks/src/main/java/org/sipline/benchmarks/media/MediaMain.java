package org.sipline.benchmarks.media;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The live media API measured through the real stack (see {@link MediaRun}); per-sample delays to
 * {@code samples.tsv}, single values to {@code values.properties}, both as a table to {@code
 * summary.md}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.sipline.benchmarks.media.MediaMain \
 *       [--phases all] [--beside-calls 500] [--quick] --out DIR
 * </pre>
 */
public final class MediaMain {
  private MediaMain() {}

  public static void main(String[] args) throws Exception {
    MediaOptions options;
    try {
      options = MediaOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    MediaResult r = run(options);
    System.out.println(summary(options, r));
    System.out.println("results in " + options.out().toAbsolutePath());
  }

  /** Runs once and writes samples.tsv, values.properties and summary.md into the options' dir. */
  static MediaResult run(MediaOptions options) throws Exception {
    Path out = Files.createDirectories(options.out().toAbsolutePath());
    MediaResult r =
        options.calls() > 1
            ? ManyCallsRun.run(options, out.resolve("run"))
            : MediaRun.run(options, out.resolve("run"));
    Files.writeString(out.resolve("samples.tsv"), r.tsv(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("values.properties"), r.properties(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("summary.md"), summary(options, r), StandardCharsets.UTF_8);
    return r;
  }

  private static String summary(MediaOptions o, MediaResult r) {
    return "date: "
        + ZonedDateTime.now(ZoneId.systemDefault())
        + ", cores: "
        + Runtime.getRuntime().availableProcessors()
        + ", java: "
        + System.getProperty("java.version")
        + ", server JVM flags: "
        + (o.serverJvm().isEmpty() ? "(none)" : String.join(" ", o.serverJvm()))
        + (o.calls() > 1
            ? ", calls: " + o.calls() + ", audio: " + o.manyAudio()
            : ", phases: " + o.phases())
        + ", calls beside: "
        + o.besideCalls()
        + "\n\n"
        + r.markdown();
  }
}

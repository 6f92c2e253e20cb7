package org.sipline.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sipline.server.testing.SiplineProcess;

/** Runs {@code java -jar sipline.jar ARGS} to completion, as a shell user would. */
final class Cli {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** What the command printed and how it exited. */
  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(Path dir, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "cli", ".out");
    Path err = Files.createTempFile(dir, "cli", ".err");
    Process p =
        new ProcessBuilder(SiplineProcess.command(args))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("sipline " + List.of(args) + " still running after " + TIMEOUT);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}

package org.sipline.backend.jainsip.hardening;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Everything written to {@code System.err} while open, kept and still passed on. slf4j-simple (the
 * tests' logger) looks up {@code System.err} at every line, so this sees every log line of every
 * thread. Surefire runs the test classes of a module one after another, so the swap does not mix in
 * another class's output.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

  private LogCapture() {
    original = System.err;
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (kept) {
              kept.write(b);
            }
            original.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (kept) {
              kept.write(b, off, len);
            }
            original.write(b, off, len);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  /** The text logged so far. */
  public String text() {
    synchronized (kept) {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }

  /** The lines logged so far that contain {@code text}. */
  public List<String> linesContaining(String text) {
    return text().lines().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}

package org.sipline.backend.jainsip.media;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The log lines written while open. slf4j-simple, the tests' logger, looks {@code System.err} up
 * for every line, so swapping it sees every thread's lines; they are passed on as well. Surefire
 * runs a module's test classes one after another, so no other class's lines mix in.
 */
final class StderrLines implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

  StderrLines() {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
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

  /** The lines that contain {@code text}. */
  List<String> containing(String text) {
    String all;
    synchronized (kept) {
      all = kept.toString(StandardCharsets.UTF_8);
    }
    return all.lines().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}

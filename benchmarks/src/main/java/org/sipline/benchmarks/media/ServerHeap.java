package org.sipline.benchmarks.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.sipline.benchmarks.pacing.LiveHeap;

/**
 * The server process's memory from outside: its live heap (a class histogram after a full
 * collection, {@code jcmd <pid> GC.class_histogram}, kept in the run directory) and its resident
 * set size.
 */
public final class ServerHeap {
  private ServerHeap() {}

  /** Live heap bytes of {@code pid}; the histogram goes to {@code file}. Forces a full GC. */
  public static long live(long pid, Path file) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " GC.class_histogram failed: " + out.strip());
    }
    Files.writeString(file, out, StandardCharsets.UTF_8);
    return LiveHeap.bytes(out);
  }

  /** Resident set size of {@code pid} in bytes ({@code VmRSS} of {@code /proc/<pid>/status}). */
  public static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.substring(6).trim().split("\\s+");
        return Long.parseLong(f[0]) * 1024;
      }
    }
    throw new IOException("/proc/" + pid + "/status has no VmRSS line");
  }
}

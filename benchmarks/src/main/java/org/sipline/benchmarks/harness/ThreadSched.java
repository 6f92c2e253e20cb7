package org.sipline.benchmarks.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One thread of another process as the Linux scheduler sees it ({@code /proc/<pid>/task}): found by
 * name, its CPU time and its time spent runnable but waiting for a CPU. The wait is what a busy
 * machine does to a pacing thread: every nanosecond of it is a packet sent late.
 */
public final class ThreadSched {
  /** Cumulative counters of a thread from {@code schedstat}. */
  public record Counters(long runNanos, long waitNanos, long slices) {
    public Counters minus(Counters earlier) {
      return new Counters(
          runNanos - earlier.runNanos, waitNanos - earlier.waitNanos, slices - earlier.slices);
    }
  }

  private ThreadSched() {}

  /**
   * The id of the first thread of {@code pid} whose name starts with {@code name} (the kernel keeps
   * 15 characters of it), or -1.
   */
  public static long find(long pid, String name) throws IOException {
    String prefix = name.length() > 15 ? name.substring(0, 15) : name;
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          if (Files.readString(task.resolve("comm")).strip().startsWith(prefix)) {
            return Long.parseLong(task.getFileName().toString());
          }
        } catch (IOException e) {
          // The thread ended while we looked: not the one we want.
        }
      }
    }
    return -1;
  }

  public static Counters counters(long pid, long tid) throws IOException {
    String[] f =
        Files.readString(
                Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "schedstat"))
            .trim()
            .split(" ");
    if (f.length != 3) {
      throw new IOException("schedstat of thread " + tid + " has " + f.length + " fields, want 3");
    }
    return new Counters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
  }
}

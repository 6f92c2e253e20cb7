package org.sipline.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far (all its threads, user + system), read from {@code
 * /proc/<pid>/stat}, so that sipline and baresip are measured the same way.
 */
public final class ProcStat {
  /** USER_HZ: Linux reports utime/stime in 1/100 s on every architecture sipline runs on. */
  private static final long TICK_NANOS = 10_000_000L;

  private static final int UTIME_AFTER_COMM = 11;
  private static final int STIME_AFTER_COMM = 12;

  private ProcStat() {}

  /** User + system CPU nanoseconds of {@code pid}. */
  public static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) is in parentheses and may hold spaces: split after it.
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IOException("/proc/" + pid + "/stat has no ')' after the command name: " + stat);
    }
    String[] f = stat.substring(close + 2).trim().split(" ");
    if (f.length <= STIME_AFTER_COMM) {
      throw new IOException(
          "/proc/"
              + pid
              + "/stat has "
              + f.length
              + " fields after the"
              + " command name, want > "
              + STIME_AFTER_COMM);
    }
    long ticks = Long.parseLong(f[UTIME_AFTER_COMM]) + Long.parseLong(f[STIME_AFTER_COMM]);
    return ticks * TICK_NANOS;
  }

  /**
   * CPU time the hypervisor took from this machine's virtual CPUs so far (the "steal" column of
   * {@code /proc/stat}, all CPUs): while it runs, no thread of the guest runs, whatever its
   * priority.
   */
  public static long stealNanos() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 9) {
          throw new IOException("/proc/stat cpu line has " + f.length + " fields, want >= 9");
        }
        return Long.parseLong(f[8]) * TICK_NANOS;
      }
    }
    throw new IOException("/proc/stat has no 'cpu ' line");
  }

  /**
   * Nanoseconds the threads of {@code pid} whose name starts with {@code namePrefix} ("" for all)
   * have so far spent runnable but waiting for a CPU (the second field of each thread's {@code
   * /proc/<pid>/task/<tid>/schedstat}): what other work on the machine cost them. Threads that
   * ended are no longer counted, so take it over a window in which they live.
   */
  public static long runQueueWaitNanos(long pid, String namePrefix) throws IOException {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long sum = 0;
    try (java.util.stream.Stream<Path> list = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) list::iterator) {
        try {
          if (!namePrefix.isEmpty()
              && !Files.readString(task.resolve("comm")).strip().startsWith(namePrefix)) {
            continue;
          }
          String[] f = Files.readString(task.resolve("schedstat")).trim().split(" ");
          sum += Long.parseLong(f[1]);
        } catch (java.nio.file.NoSuchFileException gone) {
          // the thread ended while the list was read
        }
      }
    }
    return sum;
  }

  /**
   * Microseconds so far in which at least one runnable task of the machine waited for a CPU ({@code
   * some total} of {@code /proc/pressure/cpu}), or -1 where the kernel has no PSI.
   */
  public static long cpuPressureMicros() throws IOException {
    Path psi = Path.of("/proc/pressure/cpu");
    if (!Files.exists(psi)) {
      return -1;
    }
    for (String line : Files.readAllLines(psi)) {
      if (line.startsWith("some ")) {
        for (String field : line.trim().split("\\s+")) {
          if (field.startsWith("total=")) {
            return Long.parseLong(field.substring("total=".length()));
          }
        }
      }
    }
    throw new IOException("/proc/pressure/cpu has no 'some ... total=' line");
  }

  /** The 1-minute load average, to say how busy the machine was. */
  public static double loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    return Double.parseDouble(f[0]);
  }
}

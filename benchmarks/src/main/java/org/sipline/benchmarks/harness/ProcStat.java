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

  /** The 1-minute load average, to say how busy the machine was. */
  public static double loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    return Double.parseDouble(f[0]);
  }
}

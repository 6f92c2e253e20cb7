package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scheduling policy the kernel applies to the load's pacer thread, from {@code
 * /proc/<pid>/task/<tid>/stat} (proc(5): field 40 rt_priority, field 41 policy): what the run
 * actually had, whatever was asked for.
 */
final class PacerPolicy {
  private static final String[] NAMES = {"OTHER", "FIFO", "RR", "BATCH", "ISO", "IDLE", "DEADLINE"};

  private PacerPolicy() {}

  /** "OTHER", or a real-time policy with its priority such as "FIFO 10". */
  static String read(long pid, long tid) throws IOException {
    String stat =
        Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat"));
    return describe(stat);
  }

  /** The policy in one {@code stat} line. */
  static String describe(String stat) {
    // The name (field 2) may hold spaces and parentheses: count from the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    if (f.length < 41 - 2) {
      throw new IllegalArgumentException(
          "stat line has " + (f.length + 2) + " fields, want" + " at least 41: " + stat);
    }
    int priority = Integer.parseInt(f[40 - 3]);
    int policy = Integer.parseInt(f[41 - 3]);
    String name = policy >= 0 && policy < NAMES.length ? NAMES[policy] : "policy " + policy;
    return priority == 0 ? name : name + " " + priority;
  }
}

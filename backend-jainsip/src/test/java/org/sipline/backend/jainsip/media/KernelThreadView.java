package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One thread of this process as the Linux kernel reports it in {@code /proc/self/task/<tid>/stat}
 * (proc(5)): its name, scheduling policy (field 41: 0 SCHED_OTHER, 1 SCHED_FIFO) and real-time
 * priority (field 40).
 */
record KernelThreadView(String name, int policy, int rtPriority) {
  static final int SCHED_OTHER = 0;
  static final int SCHED_FIFO = 1;

  static KernelThreadView of(long tid) throws IOException {
    String stat = Files.readString(Path.of("/proc/self/task", Long.toString(tid), "stat"));
    // Field 2 is the name in parentheses and may itself hold spaces or parentheses: the fields
    // after it are counted from the last ')'.
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    String[] rest = stat.substring(close + 2).trim().split(" ");
    // rest[0] is field 3, so field n is rest[n - 3].
    return new KernelThreadView(
        stat.substring(open + 1, close),
        Integer.parseInt(rest[41 - 3]),
        Integer.parseInt(rest[40 - 3]));
  }

  /**
   * Why this process may not be granted SCHED_FIFO at {@code priority}, or null when it may: it
   * needs CAP_SYS_NICE (capability 23 in /proc/self/status's CapEff) or an RLIMIT_RTPRIO of at
   * least the priority.
   */
  static String whyFifoIsNotAllowed(int priority) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("CapEff:")) {
        long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
        if ((caps & (1L << 23)) != 0) {
          return null;
        }
      }
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max realtime priority")) {
        String soft = line.substring("Max realtime priority".length()).trim().split("\\s+")[0];
        if (soft.equals("unlimited") || Integer.parseInt(soft) >= priority) {
          return null;
        }
        return "this process lacks CAP_SYS_NICE and its RLIMIT_RTPRIO is "
            + soft
            + " < "
            + priority
            + ": run the tests as root or with ulimit -r "
            + priority;
      }
    }
    return "this process lacks CAP_SYS_NICE and /proc/self/limits shows no real-time limit";
  }
}

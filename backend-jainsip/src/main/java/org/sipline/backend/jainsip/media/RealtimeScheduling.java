package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the kernel to run the calling thread (the pacer) under SCHED_FIFO, and turns every way that
 * can fail into one warning and normal priority.
 *
 * <p>Why: on a busy machine a normally scheduled pacer waits for a CPU for hundreds of microseconds
 * each time it wakes, and every one of them is a frame sent late; under SCHED_FIFO it preempts
 * every normal thread at once (BENCHMARKS.md §2: p99 at 500 calls 16.65 ms → 0.19 ms). Linux grants
 * it with CAP_SYS_NICE (root has it) or up to the process's RLIMIT_RTPRIO.
 */
final class RealtimeScheduling {
  /** The priority value meaning "do not ask": the pacer runs at normal priority. */
  static final int OFF = 0;

  static final int MIN_PRIORITY = 1;
  static final int MAX_PRIORITY = 99;

  private static final Logger log = LoggerFactory.getLogger(RealtimeScheduling.class);
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");

  private final int priority;
  private final Supplier<ThreadScheduler> scheduler;
  private final String osName;

  /**
   * @param priority {@link #OFF}, or the SCHED_FIFO priority 1..99 to ask for
   * @param scheduler binds to the system's scheduler; called on the pacer thread, only when the
   *     request is made, so that a process without JNA or libc gets the warning, not a crash
   * @param osName the operating system's name ({@code os.name})
   */
  RealtimeScheduling(int priority, Supplier<ThreadScheduler> scheduler, String osName) {
    if (priority != OFF && (priority < MIN_PRIORITY || priority > MAX_PRIORITY)) {
      throw new IllegalArgumentException(
          "pacer real-time priority "
              + priority
              + " outside "
              + MIN_PRIORITY
              + ".."
              + MAX_PRIORITY
              + " ("
              + OFF
              + ": off)");
    }
    this.priority = priority;
    this.scheduler = scheduler;
    this.osName = osName;
  }

  /** A request for {@code priority} (or {@link #OFF}) through this process's C library. */
  static RealtimeScheduling of(int priority) {
    return new RealtimeScheduling(
        priority, PosixThreadScheduler::load, System.getProperty("os.name", "unknown"));
  }

  static RealtimeScheduling off() {
    return of(OFF);
  }

  int priority() {
    return priority;
  }

  /**
   * Makes the request for the calling thread and logs its outcome: one info line when granted or
   * off, one warning naming the reason and the remedies when not. Never throws.
   */
  PacerScheduling applyToCurrentThread() {
    long tid = kernelThreadId();
    if (priority == OFF) {
      log.info("RTP pacer thread {} runs at normal priority (media.realtime=off)", tid);
      return PacerScheduling.normal(tid, "off by option media.realtime");
    }
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return refused(tid, "SCHED_FIFO is asked for on Linux only, this is " + osName);
    }
    int errno;
    ThreadScheduler calls;
    try {
      calls = scheduler.get();
      errno = calls.requestFifoForCurrentThread(priority);
    } catch (LinkageError | RuntimeException e) {
      // JNA missing (NoClassDefFoundError), libc or the symbol not found (UnsatisfiedLinkError).
      return refused(tid, "cannot call libc through JNA: " + e);
    }
    if (errno == 0) {
      log.info("RTP pacer thread {} runs SCHED_FIFO at priority {}", tid, priority);
      return PacerScheduling.fifo(priority, tid);
    }
    return refused(
        tid,
        "the kernel refused SCHED_FIFO priority "
            + priority
            + ": "
            + errnoName(errno)
            + " ("
            + calls.errorText(errno)
            + ")");
  }

  private PacerScheduling refused(long tid, String reason) {
    // One line, once per engine: the pacer keeps working, only its timing under load suffers.
    log.warn(
        "RTP pacer thread {} runs at normal priority, so its packets go out late when the"
            + " CPUs are busy: {}. To grant it, run with CAP_SYS_NICE (root, setcap cap_sys_nice+ep,"
            + " a container's --cap-add SYS_NICE) or raise the real-time limit (ulimit -r {}); to"
            + " run at normal priority without this warning, set the backend option"
            + " media.realtime=off",
        tid,
        reason,
        priority);
    return PacerScheduling.normal(tid, reason);
  }

  /** The symbolic name of the error numbers pthread_setschedparam documents (Linux values). */
  private static String errnoName(int errno) {
    return switch (errno) {
      case 1 -> "EPERM";
      case 3 -> "ESRCH";
      case 22 -> "EINVAL";
      case 95 -> "ENOTSUP";
      default -> "errno " + errno;
    };
  }

  /**
   * The calling thread's id in the kernel, from the {@code /proc/thread-self} link ("pid/task/
   * tid"), or -1 where there is no such link (not Linux, or no /proc).
   */
  static long kernelThreadId() {
    try {
      return Long.parseLong(Files.readSymbolicLink(THREAD_SELF).getFileName().toString());
    } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
      return -1;
    }
  }
}

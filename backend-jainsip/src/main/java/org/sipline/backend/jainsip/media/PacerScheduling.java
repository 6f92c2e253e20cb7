package org.sipline.backend.jainsip.media;

/**
 * How the kernel schedules the pacer thread, as it was set when the pacer started: what tests, logs
 * and health checks read to know whether the real-time request took effect.
 *
 * @param policy the policy the thread runs under
 * @param priority the SCHED_FIFO priority (1..99) when the policy is {@link Policy#FIFO}, else 0
 * @param threadId the kernel's id of the thread ({@code /proc/self/task/<id>}), or -1 where the
 *     system does not show it
 * @param reason why the thread runs at normal priority (the option said off, the kernel refused, no
 *     native access), or empty under FIFO
 */
public record PacerScheduling(Policy policy, int priority, long threadId, String reason) {
  /** The scheduling policies the pacer can end up with. */
  public enum Policy {
    /** Linux SCHED_FIFO: preempts every normally scheduled thread of the machine. */
    FIFO,
    /** The operating system's default time-sharing policy (SCHED_OTHER on Linux). */
    NORMAL
  }

  static PacerScheduling fifo(int priority, long threadId) {
    return new PacerScheduling(Policy.FIFO, priority, threadId, "");
  }

  static PacerScheduling normal(long threadId, String reason) {
    return new PacerScheduling(Policy.NORMAL, 0, threadId, reason);
  }
}

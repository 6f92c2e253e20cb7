package org.sipline.backend.jainsip.media;

/**
 * The one operating-system call real-time pacing needs, behind an interface so that a test can
 * stand in for a kernel that refuses it.
 */
interface ThreadScheduler {
  /**
   * Puts the calling thread under SCHED_FIFO at {@code priority}.
   *
   * @return 0 when done, else the error number the call failed with (EPERM, EINVAL)
   */
  int requestFifoForCurrentThread(int priority);

  /** The system's text for an error number, e.g. "Operation not permitted". */
  String errorText(int errno);
}

package org.sipline.backend.jainsip.media;

/**
 * The time the media path runs on: a monotonic clock and a way to wait for a deadline on it.
 * Injected so that tests can run the pacer on a fake clock without really waiting.
 */
public interface MediaClock {
  /** Monotonic nanoseconds, comparable only with other values of the same clock. */
  long nanoTime();

  /**
   * Waits until {@link #nanoTime()} reaches {@code deadlineNanos}. May return earlier when the
   * waiting thread is woken ({@link java.util.concurrent.locks.LockSupport#unpark}) or interrupted;
   * callers check the time again.
   */
  void awaitDeadline(long deadlineNanos);

  /** The JVM's {@link System#nanoTime()} with precise waiting; see {@link PreciseClock}. */
  static MediaClock system() {
    return PreciseClock.INSTANCE;
  }
}

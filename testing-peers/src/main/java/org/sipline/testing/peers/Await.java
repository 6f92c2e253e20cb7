package org.sipline.testing.peers;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Bounded polling of a condition that a peer process changes outside this JVM (a log line, a
 * location table entry, a bound port). Peers give us no callback, so we look again after a short
 * pause, but never longer than the caller's timeout.
 */
final class Await {
  /** Short enough to keep tests quick, long enough not to load two shared cores. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(25);

  private Await() {}

  /**
   * Returns the first non-null value {@code probe} yields within {@code timeout}, or null when the
   * time runs out. The probe runs at least once, even with a zero timeout.
   */
  static <T> T poll(Duration timeout, Duration interval, Supplier<T> probe) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout < 0: " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PeerException("interrupted while waiting", e);
      }
    }
  }

  static <T> T poll(Duration timeout, Supplier<T> probe) {
    return poll(timeout, POLL_INTERVAL, probe);
  }

  /** True when {@code condition} held within {@code timeout}. */
  static boolean until(Duration timeout, Duration interval, Supplier<Boolean> condition) {
    return poll(timeout, interval, () -> condition.get() ? Boolean.TRUE : null) != null;
  }

  static boolean until(Duration timeout, Supplier<Boolean> condition) {
    return until(timeout, POLL_INTERVAL, condition);
  }
}

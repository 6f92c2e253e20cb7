package org.sipline.backend.jainsip.media;

import java.util.concurrent.TimeUnit;

/**
 * Lets one log line through per interval, so that a flood of bad packets (a scanner, a misrouted
 * stream) costs counters, not log volume. Used by one thread.
 */
final class LogLimiter {
  static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final long intervalNanos;
  private boolean logged;
  private long lastNanos;

  LogLimiter() {
    this(DEFAULT_INTERVAL_NANOS);
  }

  LogLimiter(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** True for the first event and then for the first event after each interval. */
  boolean allow(long nowNanos) {
    if (logged && nowNanos - lastNanos < intervalNanos) {
      return false;
    }
    logged = true;
    lastNanos = nowNanos;
    return true;
  }
}

package org.sipline.backend.jainsip.media;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that another thread makes true, failing after a bound. */
final class Await {
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private Await() {}

  static void until(BooleanSupplier condition, Supplier<String> describe) {
    until(condition, TIMEOUT_NANOS, describe);
  }

  static void until(BooleanSupplier condition, long timeoutNanos, Supplier<String> describe) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "not within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s: " + describe.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }
}

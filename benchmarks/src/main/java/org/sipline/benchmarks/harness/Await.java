package org.sipline.benchmarks.harness;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a bound passes. */
public final class Await {
  private static final long POLL_MILLIS = 20;

  private Await() {}

  public static void until(Duration timeout, String what, BooleanSupplier condition)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException(what + " did not happen within " + timeout);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** Lets {@code span} of wall time pass: a measurement window, not a wait for a state. */
  public static void elapse(Duration span) throws InterruptedException {
    long end = System.nanoTime() + span.toNanos();
    for (long left = span.toNanos(); left > 0; left = end - System.nanoTime()) {
      Thread.sleep(Math.max(1, left / 1_000_000));
    }
  }
}

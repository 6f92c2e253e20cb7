package org.sipline.benchmarks.pacing;

import org.sipline.backend.jainsip.media.MediaClock;

/**
 * An experiment's clock for the media engine: waits for a deadline by spinning on {@link
 * System#nanoTime()} the whole time instead of parking, so the pacer never depends on a kernel
 * timer to wake it. It tells a stall caused by a late timer (gone with this clock) from one caused
 * by the thread's CPU being taken away (still there). Costs one core while the pacer waits; not for
 * production.
 */
final class SpinClock implements MediaClock {
  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void awaitDeadline(long deadlineNanos) {
    Thread self = Thread.currentThread();
    while (deadlineNanos - System.nanoTime() > 0 && !self.isInterrupted()) {
      Thread.onSpinWait();
    }
  }
}

package org.sipline.backend.jainsip.media;

import java.util.concurrent.locks.LockSupport;

/**
 * {@link System#nanoTime()} with a deadline wait that parks until shortly before the deadline and
 * spins for the rest.
 *
 * <p>Why park-then-spin, and why {@value #SPIN_NANOS} ns: {@code parkNanos} alone wakes late by the
 * kernel's timer slack plus scheduling, measured on the 2-core build machine at p50 ≈ 110–210 µs,
 * p90 ≈ 130–260 µs. Parking until 100 µs before the deadline and spinning the rest brought p50 to
 * 0–30 µs and p90 to 20–100 µs, at about 4 % of one core when waking 1000 times a second (a pacer
 * with every 1 ms slot busy). Spinning 200 µs was only slightly more precise (p90 ≈ 0–40 µs) but
 * cost 13 % of a core, 300 µs cost 23 %; {@code Thread.yield()} instead of {@code onSpinWait()} in
 * the spin gave the same precision at the same cost. The p99 is set by CPU contention (1–3 ms on a
 * loaded 2-core machine) whatever the spin.
 *
 * <p>The pacer thread usually runs under SCHED_FIFO ({@link RealtimeScheduling}), where its
 * spinning keeps every normal thread off that CPU. The spin stays the same bounded window: it
 * starts only after a park and ends at the deadline, so at most {@value #SPIN_NANOS} ns per wake-up
 * (at most 10 % of one CPU at the pacer's 1000 wake-ups a second; less in practice, as waking eats
 * into the window), and between wake-ups the thread parks.
 */
final class PreciseClock implements MediaClock {
  static final PreciseClock INSTANCE = new PreciseClock();

  /** How long before a deadline parking stops and spinning starts. */
  static final long SPIN_NANOS = 100_000;

  private PreciseClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void awaitDeadline(long deadlineNanos) {
    Thread self = Thread.currentThread();
    while (!self.isInterrupted()) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      if (remaining > SPIN_NANOS) {
        LockSupport.parkNanos(this, remaining - SPIN_NANOS);
        // An unpark means "something changed": let the caller look again.
        if (deadlineNanos - System.nanoTime() > SPIN_NANOS) {
          return;
        }
      } else {
        Thread.onSpinWait();
      }
    }
  }
}

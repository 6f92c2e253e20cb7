package org.sipline.backend.jainsip.media;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A clock that only moves when someone waits on it: {@link #awaitDeadline} jumps to the deadline at
 * once, plus any lateness queued with {@link #wakeLate}, so pacer tests run without real waiting
 * and see exactly the wake-ups they arranged.
 */
final class FakeClock implements MediaClock {
  private long now;
  private final Deque<Long> latenesses = new ArrayDeque<>();
  private int waits;

  FakeClock(long start) {
    this.now = start;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void awaitDeadline(long deadlineNanos) {
    waits++;
    long late = latenesses.isEmpty() ? 0 : latenesses.poll();
    now = Math.max(now, deadlineNanos) + late;
  }

  /** The next wait overshoots its deadline by {@code nanos}. */
  void wakeLate(long nanos) {
    latenesses.add(nanos);
  }

  void advance(long nanos) {
    now += nanos;
  }

  int waits() {
    return waits;
  }
}

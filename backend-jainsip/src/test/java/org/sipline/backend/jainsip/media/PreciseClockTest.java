package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PreciseClockTest {
  private final MediaClock clock = MediaClock.system();

  @Test
  void aDeadlineWithinTheSpinWindowIsNeverLeftEarly() {
    for (int i = 0; i < 100; i++) {
      long deadline = clock.nanoTime() + PreciseClock.SPIN_NANOS / 2;
      clock.awaitDeadline(deadline);
      assertThat(clock.nanoTime()).isGreaterThanOrEqualTo(deadline);
    }
  }

  @Test
  void aLongerDeadlineIsReachedByParkingWithoutBusyReturns() {
    // parkNanos may wake spuriously, which the contract lets through to the caller; nobody
    // unparks this thread, so reaching the deadline should take one call, rarely two.
    for (int i = 0; i < 10; i++) {
      long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
      int calls = 0;
      while (clock.nanoTime() < deadline) {
        clock.awaitDeadline(deadline);
        calls++;
      }
      assertThat(calls).isBetween(1, 3);
    }
  }

  @Test
  void anInterruptEndsTheWaitAtOnce() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> {
          Thread.currentThread().interrupt();
          try {
            clock.awaitDeadline(clock.nanoTime() + TimeUnit.SECONDS.toNanos(30));
          } finally {
            assertThat(Thread.interrupted()).isTrue();
          }
        });
  }
}

package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pace of first REGISTERs on a fake clock and timer: never more than the rate in any second,
 * not even when the timer fires late; the order kept; a cancelled start never runs.
 */
class RegisterPacerTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  /** A clock that moves only when told, and a timer that fires when the clock passes its time. */
  private static final class FakeTime implements RegisterPacer.Timer {
    private record Due(long at, long seq, Runnable task) {}

    private final PriorityQueue<Due> due =
        new PriorityQueue<>(Comparator.comparingLong(Due::at).thenComparingLong(Due::seq));
    private final SplittableRandom random = new SplittableRandom(13);
    private long now;
    private long seq;
    private long maxLateness;

    @Override
    public void schedule(Runnable task, long delayNanos) {
      assertThat(delayNanos).isNotNegative();
      long lateness = maxLateness == 0 ? 0 : random.nextLong(maxLateness);
      due.add(new Due(now + delayNanos + lateness, seq++, task));
    }

    long now() {
      return now;
    }

    /** Fires everything due until {@code end}, moving the clock to each firing. */
    void runUntil(long end) {
      while (!due.isEmpty() && due.peek().at() <= end) {
        Due d = due.poll();
        now = Math.max(now, d.at());
        d.task().run();
      }
      now = Math.max(now, end);
    }
  }

  private final FakeTime time = new FakeTime();
  private final List<Long> ran = new ArrayList<>();
  private final List<Integer> order = new ArrayList<>();

  private RegisterPacer pacer(double rate) {
    return new RegisterPacer(rate, time, time::now);
  }

  private RegisterPacer.Ticket submit(RegisterPacer pacer, int id) {
    return pacer.submit(
        queued -> {
          ran.add(time.now());
          order.add(id);
        });
  }

  /** The most starts that ran within any half-open window [t, t + 1 s). */
  private int busiestSecond() {
    int most = 0;
    for (int i = 0; i < ran.size(); i++) {
      int n = 0;
      for (int j = i; j < ran.size() && ran.get(j) - ran.get(i) < SECOND; j++) {
        n++;
      }
      most = Math.max(most, n);
    }
    return most;
  }

  @Test
  void aThousandStartsAtOnceRunTwentyASecondInTheOrderGiven() {
    RegisterPacer pacer = pacer(20);
    for (int i = 0; i < 1000; i++) {
      submit(pacer, i);
    }
    assertThat(ran).hasSize(1); // the first had the token
    assertThat(pacer.waiting()).isEqualTo(999);

    time.runUntil(60 * SECOND);

    assertThat(ran).hasSize(1000);
    assertThat(pacer.waiting()).isZero();
    for (int i = 1; i < ran.size(); i++) {
      assertThat(ran.get(i) - ran.get(i - 1)).as("gap before start %d", i).isEqualTo(50 * MS);
    }
    assertThat(order).isSorted();
    assertThat(busiestSecond()).isEqualTo(20);
  }

  @Test
  void aTimerFiringLateNeverLetsTwoStartsRunCloserThanThePace() {
    time.maxLateness = 80 * MS; // later than a whole interval at times
    RegisterPacer pacer = pacer(20);
    SplittableRandom arrivals = new SplittableRandom(7);
    int id = 0;
    for (long t = 0; t < 20 * SECOND; t += arrivals.nextLong(1, 60) * MS) {
      time.runUntil(t);
      int burst = arrivals.nextInt(1, 6);
      for (int k = 0; k < burst; k++) {
        submit(pacer, id++);
      }
    }
    time.runUntil(200 * SECOND);

    assertThat(ran).hasSize(id);
    assertThat(order).isSorted();
    for (int i = 1; i < ran.size(); i++) {
      assertThat(ran.get(i) - ran.get(i - 1)).isGreaterThanOrEqualTo(50 * MS);
    }
    assertThat(busiestSecond()).isLessThanOrEqualTo(20);
  }

  @Test
  void theGapCountsFromWhenTheLastStartReturnedSoASlowHandOverNeverBunchesTwo() {
    RegisterPacer pacer = pacer(20);
    List<Long> returned = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // Each start takes 30 ms to hand its REGISTER over (a backend sending on this thread).
      pacer.submit(
          queued -> {
            ran.add(time.now());
            time.now += 30 * MS;
            returned.add(time.now());
          });
    }
    time.runUntil(10 * SECOND);

    assertThat(ran).containsExactly(0L, 80 * MS, 160 * MS, 240 * MS, 320 * MS);
    for (int i = 1; i < ran.size(); i++) {
      assertThat(ran.get(i) - returned.get(i - 1)).isEqualTo(50 * MS);
    }
  }

  @Test
  void aStartSubmittedWhileAnotherRunsWaitsForItToReturn() {
    RegisterPacer pacer = pacer(10);
    List<String> events = new ArrayList<>();
    pacer.submit(
        queued -> {
          events.add("first runs");
          pacer.submit(q -> events.add("second runs, queued " + q));
          events.add("first returns, " + pacer.waiting() + " waiting");
        });
    assertThat(events).containsExactly("first runs", "first returns, 1 waiting");
    time.runUntil(SECOND);
    assertThat(events).endsWith("second runs, queued true");
  }

  @Test
  void aStartAfterAQuietSpellRunsAtOnceAndTheOneAfterItWaits() {
    RegisterPacer pacer = pacer(2);
    submit(pacer, 0);
    time.runUntil(5 * SECOND);
    submit(pacer, 1);
    assertThat(ran).containsExactly(0L, 5 * SECOND);
    submit(pacer, 2);
    assertThat(pacer.waiting()).isEqualTo(1);
    time.runUntil(5 * SECOND + 499 * MS);
    assertThat(ran).hasSize(2);
    time.runUntil(6 * SECOND);
    assertThat(ran).containsExactly(0L, 5 * SECOND, 5 * SECOND + 500 * MS);
    assertThat(pacer.interval()).hasMillis(500);
  }

  @Test
  void aCancelledStartNeverRunsAndTheNextTakesItsTurn() {
    RegisterPacer pacer = pacer(10);
    RegisterPacer.Ticket first = submit(pacer, 0);
    RegisterPacer.Ticket second = submit(pacer, 1);
    submit(pacer, 2);
    assertThat(first.cancel()).as("ran already").isFalse();
    assertThat(second.cancel()).isTrue();
    assertThat(pacer.waiting()).isEqualTo(1);
    time.runUntil(SECOND);
    assertThat(order).containsExactly(0, 2);
    assertThat(ran).containsExactly(0L, 100 * MS);
  }

  @Test
  void onlyAStartRunAtOnceIsToldSoAndItsFailureReachesTheCaller() {
    RegisterPacer pacer = pacer(10);
    List<Boolean> queuedFlags = new ArrayList<>();
    assertThatThrownBy(
            () ->
                pacer.submit(
                    queued -> {
                      queuedFlags.add(queued);
                      throw new IllegalStateException("backend closed");
                    }))
        .hasMessage("backend closed");
    pacer.submit(queuedFlags::add);
    time.runUntil(SECOND);
    assertThat(queuedFlags).containsExactly(false, true);
  }

  @Test
  void theRateMustBeAPositiveNumber() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> pacer(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("register rate");
    }
    assertThat(pacer(0.5).interval()).hasSeconds(2);
  }
}

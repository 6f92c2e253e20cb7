package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pacers' lock-free hand-over of tick lateness to the metrics' drain. */
class PacerLatenessQueueTest {
  @Test
  void drainsWhatWasOfferedInOrderAndRefusesWhenFull() {
    PacerLatenessQueue q = new PacerLatenessQueue(4);
    for (long v = 1; v <= 4; v++) {
      assertThat(q.offer(v)).isTrue();
    }
    assertThat(q.offer(5)).isFalse();
    assertThat(q.dropped()).isEqualTo(1);
    List<Long> got = new ArrayList<>();
    assertThat(q.drain(got::add)).isEqualTo(4);
    assertThat(got).containsExactly(1L, 2L, 3L, 4L);
    // The cells are free again, lap after lap.
    for (long v = 6; v <= 13; v++) {
      assertThat(q.offer(v)).isTrue();
      if (v % 2 == 1) {
        q.drain(got::add);
      }
    }
    assertThat(got).containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
    assertThat(q.drain(got::add)).isZero();
    assertThat(q.dropped()).isEqualTo(1);
  }

  @Test
  void severalPacersAtOnceLoseNothingWhileTheDrainRuns() throws InterruptedException {
    PacerLatenessQueue q = new PacerLatenessQueue(64);
    int perProducer = 20_000;
    AtomicLong count = new AtomicLong();
    AtomicLong sum = new AtomicLong();
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      long base = p * 1_000_000L;
      Thread t =
          new Thread(
              () -> {
                for (int i = 1; i <= perProducer; i++) {
                  // A full queue refuses; this producer offers again, as a test may.
                  while (!q.offer(base + i)) {
                    Thread.onSpinWait();
                  }
                }
              });
      producers.add(t);
      t.start();
    }
    while (producers.stream().anyMatch(Thread::isAlive)) {
      q.drain(
          v -> {
            count.incrementAndGet();
            sum.addAndGet(v);
          });
    }
    for (Thread t : producers) {
      t.join();
    }
    q.drain(
        v -> {
          count.incrementAndGet();
          sum.addAndGet(v);
        });
    long each = (long) perProducer * (perProducer + 1) / 2;
    assertThat(count.get()).isEqualTo(2L * perProducer);
    assertThat(sum.get()).isEqualTo(2 * each + (0 + 1) * 1_000_000L * perProducer);
  }

  @Test
  void capacityMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new PacerLatenessQueue(6))
        .hasMessage("capacity must be a power of two >= 2: 6");
  }
}

package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams added and cancelled from several threads while the real pacer thread runs. */
class PacerConcurrencyTest {
  private final Pacer pacer = new Pacer(MediaClock.system());
  private final ExecutorService callers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    callers.shutdownNow();
    pacer.close();
  }

  private record Added(CountingStream stream, Pacer.Registration registration) {}

  @Test
  void streamsAddedAndCancelledConcurrentlyAreServedExactlyWhileRegistered() throws Exception {
    pacer.start();
    List<Future<List<Added>>> batches = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      batches.add(
          callers.submit(
              () -> {
                List<Added> mine = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                  CountingStream s = new CountingStream();
                  mine.add(new Added(s, pacer.add(s)));
                }
                return mine;
              }));
    }
    List<Added> all = new ArrayList<>();
    for (Future<List<Added>> f : batches) {
      all.addAll(f.get());
    }
    List<Added> kept = all.subList(0, 200);
    List<Added> cancelled = all.subList(200, 400);
    Await.until(
        () -> all.stream().allMatch(a -> a.stream.frames.get() >= 2),
        () -> "every stream served twice");

    List<Future<?>> cancels = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<Added> part = cancelled.subList(t * 50, (t + 1) * 50);
      cancels.add(callers.submit(() -> part.forEach(a -> a.registration.cancel())));
    }
    for (Future<?> f : cancels) {
      f.get();
    }
    int[] atCancel = cancelled.stream().mapToInt(a -> a.stream.frames.get()).toArray();
    int[] keptBefore = kept.stream().mapToInt(a -> a.stream.frames.get()).toArray();
    // Three more periods for every kept stream: a cancelled one still served would show it.
    Await.until(
        () -> {
          for (int i = 0; i < kept.size(); i++) {
            if (kept.get(i).stream.frames.get() < keptBefore[i] + 3) {
              return false;
            }
          }
          return true;
        },
        () -> "kept streams served three more times");

    for (int i = 0; i < cancelled.size(); i++) {
      assertThat(cancelled.get(i).stream.frames.get())
          .as("cancelled stream %d", i)
          .isLessThanOrEqualTo(atCancel[i] + 1);
    }
    assertThat(kept).allMatch(a -> a.registration.slot() >= 0);
  }
}

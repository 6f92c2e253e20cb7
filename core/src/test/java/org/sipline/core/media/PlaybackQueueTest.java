package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sipline.core.media.PlaybackResult.Outcome;
import org.sipline.core.spi.AudioFrames;

class PlaybackQueueTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  /** Holds completion tasks until the test runs them, so the test sees exactly when they came. */
  private static final class HeldExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
      tasks.add(task);
    }

    synchronized int runAll() {
      int n = 0;
      for (Runnable r; (r = tasks.poll()) != null; n++) {
        r.run();
      }
      return n;
    }
  }

  private final HeldExecutor completions = new HeldExecutor();
  private final PlaybackQueue queue = new PlaybackQueue(completions);

  /** Distinct non-zero samples, so any misplaced, lost or repeated sample shows. */
  private static short[] clip(int start, int length) {
    short[] s = new short[length];
    for (int i = 0; i < length; i++) {
      s[i] = (short) (start + i);
    }
    return s;
  }

  private static short[] concat(short[]... parts) {
    int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    short[] out = new short[n];
    int at = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** One pacer tick: the frame is read, then its packet handed to the socket. */
  private static boolean tick(PlaybackQueue q, short[] frame) {
    boolean audible = q.read(frame);
    q.sent(true);
    return audible;
  }

  private short[] readFrames(int frames) {
    short[] out = new short[frames * FRAME];
    short[] frame = new short[FRAME];
    for (int f = 0; f < frames; f++) {
      tick(queue, frame);
      System.arraycopy(frame, 0, out, f * FRAME, FRAME);
    }
    return out;
  }

  @Test
  void playsRequestsInOrderWithoutAGapBetweenClipsOrRequests() {
    short[] a1 = clip(1, 100);
    short[] a2 = clip(1000, 250);
    short[] b1 = clip(5000, 333);
    queue.enqueue(List.of(a1, a2));
    queue.enqueue(List.of(b1));
    short[] out = readFrames(6);
    short[] expected = Arrays.copyOf(concat(a1, a2, b1), 6 * FRAME); // then silence
    assertThat(out).containsExactly(expected);
  }

  @Test
  void aRequestCompletesOnceWhenTheFrameWithItsLastSampleIsSent() throws Exception {
    Playback a = queue.enqueue(List.of(clip(1, 100), clip(1000, 250))); // ends in frame 3
    Playback b = queue.enqueue(List.of(clip(5000, 333))); // 683 samples: ends in frame 5
    short[] frame = new short[FRAME];
    int[] completedAt = new int[2];
    for (int f = 1; f <= 6; f++) {
      tick(queue, frame);
      int ran = completions.runAll();
      if (a.completion().isDone() && completedAt[0] == 0) {
        completedAt[0] = f;
        assertThat(ran).isEqualTo(1);
      }
      if (b.completion().isDone() && completedAt[1] == 0) {
        completedAt[1] = f;
        assertThat(ran).isEqualTo(1);
      }
    }
    assertThat(completedAt).containsExactly(3, 5);
    assertThat(a.completion().get()).isEqualTo(new PlaybackResult(350, 350, Outcome.PLAYED));
    assertThat(b.completion().get()).isEqualTo(new PlaybackResult(333, 333, Outcome.PLAYED));
    assertThat(b.completion().get().playedMillis()).isEqualTo(41);
    assertThat(completions.runAll()).as("no second completion").isZero();
  }

  @Test
  void aRequestEndingExactlyAtAFrameBoundaryCompletesWithThatFramesSend() {
    Playback a = queue.enqueue(List.of(clip(1, 2 * FRAME)));
    short[] frame = new short[FRAME];
    tick(queue, frame);
    completions.runAll();
    assertThat(a.completion()).isNotDone();
    assertThat(tick(queue, frame)).isTrue();
    completions.runAll();
    assertThat(a.completion())
        .isCompletedWithValue(new PlaybackResult(2 * FRAME, 2 * FRAME, Outcome.PLAYED));
  }

  @Test
  void cancelDropsOnlyThatRequestAndTheNextStartsInTheNextFrame() throws Exception {
    short[] a = clip(1, 1000);
    short[] b = clip(3000, 400);
    Playback first = queue.enqueue(List.of(a));
    Playback second = queue.enqueue(List.of(b));
    short[] played = readFrames(2);
    first.cancel();
    assertThat(completions.runAll()).isEqualTo(1);
    assertThat(first.completion().get())
        .isEqualTo(new PlaybackResult(320, 1000, Outcome.CANCELLED));
    short[] next = readFrames(3);
    assertThat(played).containsExactly(Arrays.copyOf(a, 320));
    assertThat(next).containsExactly(Arrays.copyOf(b, 3 * FRAME));
    completions.runAll();
    assertThat(second.completion().get()).isEqualTo(new PlaybackResult(400, 400, Outcome.PLAYED));
  }

  @Test
  void cancellingAQueuedRequestSkipsItEntirely() throws Exception {
    short[] a = clip(1, 200);
    short[] c = clip(9000, 200);
    queue.enqueue(List.of(a));
    Playback middle = queue.enqueue(List.of(clip(5000, 200)));
    queue.enqueue(List.of(c));
    middle.cancel();
    completions.runAll();
    assertThat(middle.completion().get()).isEqualTo(new PlaybackResult(0, 200, Outcome.CANCELLED));
    assertThat(readFrames(3)).containsExactly(Arrays.copyOf(concat(a, c), 3 * FRAME));
  }

  @Test
  void cancellingTheFutureCancelsTheRequest() {
    short[] b = clip(3000, 400);
    Playback first = queue.enqueue(List.of(clip(1, 1000)));
    queue.enqueue(List.of(b));
    readFrames(1);
    assertThat(first.completion().cancel(true)).isTrue();
    assertThat(readFrames(1)).containsExactly(Arrays.copyOf(b, FRAME));
    assertThat(first.completion()).isCancelled();
  }

  @Test
  void cancellingAFinishedRequestChangesNothing() throws Exception {
    Playback a = queue.enqueue(List.of(clip(1, 100)));
    Playback b = queue.enqueue(List.of(clip(500, 1000)));
    readFrames(1);
    completions.runAll();
    a.cancel();
    assertThat(completions.runAll()).isZero();
    assertThat(a.completion().get().outcome()).isEqualTo(Outcome.PLAYED);
    assertThat(readFrames(1)).containsExactly(Arrays.copyOfRange(clip(500, 1000), 60, 220));
    assertThat(b.completion()).isNotDone();
  }

  @Test
  void mutedPlaybackIsExactSilenceAndCompletesInTheSameFrameAsUnmuted() {
    int unmuted = framesUntilCompletion(new PlaybackQueue(completions), false);
    int muted = framesUntilCompletion(new PlaybackQueue(completions), true);
    assertThat(unmuted).isEqualTo(8); // 1234 samples
    assertThat(muted).isEqualTo(unmuted);
  }

  private int framesUntilCompletion(PlaybackQueue q, boolean muted) {
    q.setMuted(muted);
    assertThat(q.isMuted()).isEqualTo(muted);
    Playback p = q.enqueue(List.of(clip(1, 1000), clip(2000, 234)));
    short[] frame = new short[FRAME];
    for (int f = 1; f <= 100; f++) {
      boolean audible = tick(q, frame);
      assertThat(audible).isEqualTo(!muted);
      if (muted) {
        assertThat(frame).containsOnly((short) 0);
      }
      completions.runAll();
      if (p.completion().isDone()) {
        assertThat(p.completion().join()).isEqualTo(new PlaybackResult(1234, 1234, Outcome.PLAYED));
        return f;
      }
    }
    throw new AssertionError("never completed");
  }

  @Test
  void unmutingResumesWhereRealTimeHasGot() {
    short[] a = clip(1, 2000);
    queue.enqueue(List.of(a));
    readFrames(1);
    queue.setMuted(true);
    short[] frame = new short[FRAME];
    assertThat(tick(queue, frame)).isFalse();
    assertThat(frame).containsOnly((short) 0);
    queue.setMuted(false);
    assertThat(tick(queue, frame)).isTrue();
    assertThat(frame).containsExactly(Arrays.copyOfRange(a, 2 * FRAME, 3 * FRAME));
  }

  @Test
  void theCallsEndReportsHowMuchOfEachRequestPlayed() throws Exception {
    Playback a = queue.enqueue(List.of(clip(1, 500)));
    Playback b = queue.enqueue(List.of(clip(1000, 300)));
    readFrames(2);
    queue.endCall();
    assertThat(completions.runAll()).isEqualTo(2);
    assertThat(a.completion().get()).isEqualTo(new PlaybackResult(320, 500, Outcome.INTERRUPTED));
    assertThat(a.completion().get().playedMillis()).isEqualTo(40);
    assertThat(b.completion().get()).isEqualTo(new PlaybackResult(0, 300, Outcome.INTERRUPTED));
    short[] frame = new short[FRAME];
    assertThat(tick(queue, frame)).isFalse();
    assertThat(frame).containsOnly((short) 0);
  }

  @Test
  void readsSilenceAndFalseWhenNothingIsQueued() {
    short[] frame = new short[FRAME];
    Arrays.fill(frame, (short) 7);
    assertThat(tick(queue, frame)).isFalse();
    assertThat(frame).containsOnly((short) 0);
  }

  @Test
  void aFrameWithSomeQueuedAudioCountsAsAudioAndIsPaddedWithSilence() {
    queue.enqueue(List.of(clip(1, 10)));
    short[] frame = new short[FRAME];
    Arrays.fill(frame, (short) 7);
    assertThat(tick(queue, frame)).isTrue();
    assertThat(frame).containsExactly(Arrays.copyOf(clip(1, 10), FRAME));
  }

  @Test
  void emptyClipsInsideARequestAreSkipped() {
    short[] a = clip(1, 50);
    short[] b = clip(100, 50);
    queue.enqueue(List.of(new short[0], a, new short[0], new short[0], b, new short[0]));
    assertThat(readFrames(1)).containsExactly(Arrays.copyOf(concat(a, b), FRAME));
  }

  @Test
  void refusesRequestsWithNothingToPlay() {
    assertThatThrownBy(() -> queue.enqueue(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no clips to play");
    assertThatThrownBy(() -> queue.enqueue(List.of(new short[0], new short[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the 2 clip(s) hold no samples");
    assertThatThrownBy(() -> queue.enqueue(Arrays.asList(new short[3], null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clip 1 is null");
  }

  @Test
  void refusesFramesOfTheWrongSize() {
    assertThatThrownBy(() -> queue.read(new short[80]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frame length 80 != 160");
  }

  @Test
  void completionsRunOnTheExecutorNotOnTheReadingThread() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "completer"));
    try {
      PlaybackQueue q = new PlaybackQueue(executor);
      Playback p = q.enqueue(List.of(clip(1, 10)));
      CompletableFuture<String> thread =
          p.completion().thenApply(r -> Thread.currentThread().getName());
      tick(q, new short[FRAME]);
      assertThat(thread.get(5, TimeUnit.SECONDS)).isEqualTo("completer");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void theDefaultQueueCompletesOffTheReadingThread() throws Exception {
    PlaybackQueue q = new PlaybackQueue();
    Playback p = q.enqueue(List.of(clip(1, 10)));
    CompletableFuture<Thread> thread = p.completion().thenApply(r -> Thread.currentThread());
    tick(q, new short[FRAME]);
    assertThat(thread.get(5, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
  }

  @Test
  void readingFramesAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    queue.enqueue(List.of(clip(0, 30000), clip(0, 30000)));
    short[] frame = new short[FRAME];
    for (int i = 0; i < 100; i++) {
      tick(queue, frame); // warm up class loading and the JIT's first tiers
    }
    long tid = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 200; i++) {
      tick(queue, frame);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    // Measuring itself costs a few bytes; 200 frames of any per-frame garbage would be thousands.
    assertThat(allocated).isLessThan(1000);
  }

  @Test
  void readingTheFramesWhereRequestsEndAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int requests = 300;
    // Holds the completion tasks in an array sized up front, so that it allocates nothing either.
    Runnable[] held = new Runnable[requests];
    AtomicInteger heldCount = new AtomicInteger();
    PlaybackQueue q = new PlaybackQueue(task -> held[heldCount.getAndIncrement()] = task);
    List<Playback> playbacks = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      // One and a half frames each: every frame from the second on ends a request.
      playbacks.add(q.enqueue(List.of(clip(i, FRAME + FRAME / 2))));
    }
    short[] frame = new short[FRAME];
    for (int i = 0; i < 100; i++) {
      tick(q, frame); // warm up class loading and the JIT's first tiers
    }
    int endedBefore = heldCount.get();
    long tid = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 200; i++) {
      tick(q, frame);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    int ended = heldCount.get();
    for (int i = 0; i < ended; i++) {
      held[i].run();
    }

    // 300 frames of 1.5-frame requests end 200 of them, 134 in the measured 200 frames; a
    // list, a task or a result made per ending would be thousands of bytes, measuring itself
    // costs a few.
    assertThat(ended).isEqualTo(200);
    assertThat(ended - endedBefore).isEqualTo(134);
    assertThat(allocated).isLessThan(1000);
    for (int i = 0; i < requests; i++) {
      CompletableFuture<PlaybackResult> done = playbacks.get(i).completion();
      if (i < ended) {
        assertThat(done.join())
            .as("request %d", i)
            .isEqualTo(new PlaybackResult(FRAME + FRAME / 2, FRAME + FRAME / 2, Outcome.PLAYED));
      } else {
        assertThat(done).as("request %d", i).isNotDone();
      }
    }
  }

  @Test
  void concurrentEnqueuesCancelsAndReadsAccountForEverySampleAndCompleteEachRequestOnce()
      throws Exception {
    AtomicInteger completionCount = new AtomicInteger();
    PlaybackQueue q =
        new PlaybackQueue(
            task -> {
              completionCount.incrementAndGet();
              task.run();
            });
    int producers = 4;
    int perProducer = 50;
    List<Playback> all = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(producers + 1);
    try {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong samplesRead = new AtomicLong();
      Future<?> reader =
          pool.submit(
              () -> {
                short[] frame = new short[FRAME];
                while (!stop.get()) {
                  tick(q, frame);
                  for (short s : frame) {
                    if (s != 0) { // every queued sample is non-zero, padding is zero
                      samplesRead.incrementAndGet();
                    }
                  }
                }
              });
      List<Future<?>> producing = new ArrayList<>();
      for (int t = 0; t < producers; t++) {
        int seed = t;
        producing.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int i = 0; i < perProducer; i++) {
                    Playback p = q.enqueue(List.of(clip(1, 1 + random.nextInt(500))));
                    all.add(p);
                    if (random.nextInt(3) == 0) {
                      p.cancel();
                    }
                  }
                }));
      }
      for (Future<?> f : producing) {
        f.get(10, TimeUnit.SECONDS);
      }
      CompletableFuture.allOf(
              all.stream().map(Playback::completion).toArray(CompletableFuture[]::new))
          .get(10, TimeUnit.SECONDS);
      stop.set(true);
      reader.get(10, TimeUnit.SECONDS);

      assertThat(all).hasSize(producers * perProducer);
      assertThat(completionCount.get()).isEqualTo(all.size());
      long played = 0;
      for (Playback p : all) {
        PlaybackResult r = p.completion().join();
        if (r.outcome() == Outcome.PLAYED) {
          assertThat(r.playedSamples()).isEqualTo(r.totalSamples());
        } else {
          assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
        }
        played += r.playedSamples();
      }
      assertThat(samplesRead.get()).isEqualTo(played);
    } finally {
      pool.shutdownNow();
    }
  }
}

package org.sipline.benchmarks.media;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.sipline.api.media.v1.AudioIn;
import org.sipline.api.media.v1.ConverseEvent;

/**
 * What one Converse or Listen stream received and when (the wall clock, taken as the client's gRPC
 * stack hands the event over): caller audio as positions and times in growing arrays, control
 * events whole. Written by the stream's gRPC callbacks, read by the harness; every method is
 * synchronized (uncontended but for the harness's occasional look).
 */
final class StreamRecord {
  /** A control event and when it arrived. */
  record Timed(ConverseEvent event, long nanos) {}

  /** An AudioIn that said caller audio was dropped before it (the client was too slow). */
  record Gap(int index, long position, long droppedSamples, long nanos) {}

  private long[] positions = new long[1024];
  private long[] times = new long[1024];
  private int[] sizes = new int[1024];
  private int audio;
  private final List<Timed> control = new ArrayList<>();
  private final List<Gap> gaps = new ArrayList<>();
  private Throwable failure;
  private boolean completed;

  synchronized void audio(AudioIn a, long nanos) {
    if (audio == positions.length) {
      positions = Arrays.copyOf(positions, audio * 2);
      times = Arrays.copyOf(times, audio * 2);
      sizes = Arrays.copyOf(sizes, audio * 2);
    }
    positions[audio] = a.getPosition();
    times[audio] = nanos;
    sizes[audio] = a.getData().size();
    if (a.getDroppedSamples() > 0) {
      gaps.add(new Gap(audio, a.getPosition(), a.getDroppedSamples(), nanos));
    }
    audio++;
    if (audio == 1) {
      notifyAll();
    }
  }

  synchronized void control(ConverseEvent e, long nanos) {
    control.add(new Timed(e, nanos));
    notifyAll();
  }

  synchronized void failed(Throwable t) {
    failure = t;
    notifyAll();
  }

  synchronized void completed() {
    completed = true;
    notifyAll();
  }

  /** AudioIn events received so far. */
  synchronized int audioCount() {
    return audio;
  }

  /** Positions of the AudioIn events {@code [from, to)}. */
  synchronized long[] positions(int from, int to) {
    return Arrays.copyOfRange(positions, from, to);
  }

  /** Receive times of the AudioIn events {@code [from, to)}. */
  synchronized long[] times(int from, int to) {
    return Arrays.copyOfRange(times, from, to);
  }

  /** Data bytes of the AudioIn events {@code [from, to)}. */
  synchronized long audioBytes(int from, int to) {
    long sum = 0;
    for (int i = from; i < to; i++) {
      sum += sizes[i];
    }
    return sum;
  }

  synchronized List<Gap> gaps() {
    return List.copyOf(gaps);
  }

  synchronized List<Timed> control() {
    return List.copyOf(control);
  }

  synchronized int controlCount() {
    return control.size();
  }

  synchronized Throwable failure() {
    return failure;
  }

  synchronized boolean isCompleted() {
    return completed;
  }

  /**
   * The first control event from index {@code from} on that {@code wanted} accepts, waiting for it
   * up to {@code timeout}.
   *
   * @throws IllegalStateException when the stream failed or ended first
   */
  synchronized Timed await(int from, Predicate<ConverseEvent> wanted, Duration timeout, String what)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int looked = from;
    while (true) {
      for (; looked < control.size(); looked++) {
        if (wanted.test(control.get(looked).event())) {
          return control.get(looked);
        }
      }
      if (failure != null) {
        throw new IllegalStateException("stream failed while waiting for " + what, failure);
      }
      if (completed) {
        throw new IllegalStateException("stream ended while waiting for " + what);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(what + " did not come within " + timeout);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits until at least {@code count} AudioIn events have come. */
  synchronized void awaitAudio(int count, Duration timeout, String what)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (audio < count) {
      if (failure != null) {
        throw new IllegalStateException("stream failed while waiting for " + what, failure);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(what + " did not come within " + timeout);
      }
      wait(Math.max(1, Math.min(left / 1_000_000, 50)));
    }
  }
}

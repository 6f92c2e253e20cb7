package org.sipline.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * The pacers' tick lateness on its way to the Micrometer timer: a bounded lock-free queue that the
 * RTP pacers' threads offer into (several at once) and one drain takes out of, off those threads.
 *
 * <p>Why not record into the timer on the pacer's thread: Micrometer's {@code Timer.record} runs
 * the time-window max's rotation there once a minute (a wall-clock branch the compiled pacer loop
 * speculates against, so each rotation deoptimises both pacers' loops at once) and that rotation
 * takes the same monitor the scrape's read of the max takes, so a scrape preempted while holding it
 * would hold a real-time pacer up. An offer here is a read, a compare-and-set and two writes into
 * arrays allocated once: no lock, no allocation, nothing that depends on the clock.
 *
 * <p>Bounded (Vyukov's array queue: every cell carries the sequence number it is ready for), so a
 * drain that falls behind costs samples, never memory or the pacer's time: a full queue refuses the
 * offer and counts it {@link #dropped}.
 */
final class PacerLatenessQueue {
  private final int mask;
  private final AtomicLongArray sequences;
  private final AtomicLongArray values;
  private final AtomicLong tail = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  // Only the drain reads and moves the head; it holds this queue's monitor while it does.
  private long head;

  /**
   * @param capacity how many samples can wait for the drain; a power of two
   */
  PacerLatenessQueue(int capacity) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two >= 2: " + capacity);
    }
    mask = capacity - 1;
    sequences = new AtomicLongArray(capacity);
    values = new AtomicLongArray(capacity);
    for (int i = 0; i < capacity; i++) {
      sequences.set(i, i);
    }
  }

  /**
   * Queues one sample; any thread, never blocks.
   *
   * @return false when the queue was full (the sample is counted in {@link #dropped})
   */
  boolean offer(long value) {
    while (true) {
      long t = tail.get();
      int cell = (int) (t & mask);
      long ready = sequences.get(cell);
      if (ready == t) {
        if (tail.compareAndSet(t, t + 1)) {
          values.set(cell, value);
          // Publishes the value: the drain reads it only after it sees this sequence.
          sequences.set(cell, t + 1);
          return true;
        }
      } else if (ready < t) {
        // The drain has not yet freed the cell a whole lap ago: full.
        dropped.incrementAndGet();
        return false;
      }
      // Another producer took this cell meanwhile: try the next.
    }
  }

  /**
   * Hands every sample published so far to {@code sink}, in order; one drain at a time (callers are
   * serialised on this queue, never the producers).
   *
   * @return how many samples were handed over
   */
  synchronized int drain(LongConsumer sink) {
    int n = 0;
    while (true) {
      int cell = (int) (head & mask);
      if (sequences.get(cell) != head + 1) {
        // Empty, or the next cell claimed but not yet published: the next drain takes it.
        return n;
      }
      long value = values.get(cell);
      sequences.set(cell, head + mask + 1);
      head++;
      n++;
      sink.accept(value);
    }
  }

  /** Samples refused because the queue was full. */
  long dropped() {
    return dropped.get();
  }
}

package org.sipline.backend.jainsip;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The pace of first REGISTERs where they leave (SPEC §7, {@code --register-rate}): each is sent at
 * least {@code 1 / rate} after the previous one's send returned, so no window of one second ever
 * holds more than {@code rate} of them on the wire. The core spaces the registrations' starts at
 * the same rate, but the hand-offs between a start and this thread (line actor, SIP executor) wait
 * for a CPU for different times and released REGISTERs in bursts (BENCHMARKS.md §8: 22 in one
 * second at 20/s on a quiet machine). Keeping the pace here, on the thread that sends and measured
 * from the actual previous send, is what holds whatever came before.
 *
 * <p>Unpaced until {@link #rate} is called (a backend used without the core's switchboard). Lives
 * on the SIP executor, except {@link #rate}.
 */
final class FirstRegisterPace {
  /** A first REGISTER waiting for its turn. */
  final class Turn {
    private final Runnable send;
    private boolean done;

    private Turn(Runnable send) {
      this.send = send;
    }

    /** Whether it still waits (false once sent or cancelled). */
    boolean waiting() {
      return !done;
    }

    /** Takes it out of the line: it is never sent. Does nothing once sent. */
    void cancel() {
      if (!done) {
        done = true;
        queue.remove(this);
      }
    }
  }

  private final SipExecutor executor;
  private final LongSupplier nanoTime;
  private final Deque<Turn> queue = new ArrayDeque<>();

  /** The least gap between two first REGISTERs; 0 while unpaced. */
  private volatile long intervalNanos;

  private boolean anySent;
  private long lastSent;
  private boolean armed;

  FirstRegisterPace(SipExecutor executor, LongSupplier nanoTime) {
    this.executor = executor;
    this.nanoTime = nanoTime;
  }

  /** From now on at most {@code perSecond} first REGISTERs a second (above 0, finite). */
  void rate(double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("register rate must be above 0: " + perSecond);
    }
    intervalNanos = Math.max(1, (long) Math.ceil(1e9 / perSecond));
  }

  /**
   * Runs {@code send} now if its turn has come (nobody waiting, the gap since the last send
   * passed), else when it comes, in order. {@code send} puts the REGISTER on the wire before it
   * returns.
   */
  Turn take(Runnable send) {
    Turn t = new Turn(send);
    if (queue.isEmpty() && free(nanoTime.getAsLong())) {
      send(t);
    } else {
      queue.add(t);
      arm();
    }
    return t;
  }

  /** How many first REGISTERs wait for their turn. */
  int waiting() {
    return queue.size();
  }

  private boolean free(long now) {
    return !anySent || now - lastSent >= intervalNanos;
  }

  private void send(Turn t) {
    t.done = true;
    try {
      t.send.run();
    } finally {
      // Measured after the send returned: a send that took long still leaves a full gap on the
      // wire.
      anySent = true;
      lastSent = nanoTime.getAsLong();
    }
  }

  private void arm() {
    if (armed || queue.isEmpty()) {
      return;
    }
    armed = true;
    long delay = Math.max(0, lastSent + intervalNanos - nanoTime.getAsLong());
    // Never cancelled: a cancelled turn is only taken out of the queue, and next() finds it empty.
    executor.schedule(Duration.ofNanos(delay), this::next);
  }

  private void next() {
    armed = false;
    if (!queue.isEmpty() && free(nanoTime.getAsLong())) {
      send(queue.poll());
    }
    arm();
  }
}

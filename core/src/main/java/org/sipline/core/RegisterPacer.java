package org.sipline.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The pace of first REGISTERs for every line of the process (issue 13, {@code --register-rate}): a
 * token bucket holding one token, refilled {@code 1 / rate} seconds after the previous start
 * <em>returned</em>. A start that finds the token runs at once on the caller's thread; otherwise it
 * waits in line, in order, and the timer runs it when the token is back. One start runs at a time,
 * and the gap is measured from the moment the previous one returned (not from when it began, nor
 * from the slot it was given): a start that took long or a timer that fired late never lets two
 * starts run closer together than the pace.
 *
 * <p>A start hands the account to the backend. A backend whose {@code register} puts the REGISTER
 * on the wire before it returns is paced exactly by this; one that hands it on to threads of its
 * own (jainsip's SIP executor) keeps the pace again where it sends, told the rate by {@link
 * org.sipline.core.spi.SipBackend#paceFirstRegisters}: hand-offs after this point wait for a CPU
 * for different times and would otherwise release REGISTERs in bursts. This pacer then keeps the
 * queue (order, cancelling a line gone before its turn, the register wait counted from the start)
 * and the backend's the wire.
 *
 * <p>A thousand lines booting at 20/s therefore send their first REGISTERs over 50 s instead of all
 * at once, which a registrar would take for a flood. Refreshes and retries are not paced here: they
 * are spread by the backends' jitter ({@link org.sipline.core.sip.RegistrationTiming}).
 */
final class RegisterPacer {
  /** Runs a task after a delay; the real one is the switchboard's timer thread. */
  interface Timer {
    void schedule(Runnable task, long delayNanos);
  }

  /** What runs when its turn comes. */
  interface Start {
    /**
     * Starts the registration.
     *
     * @param queued false when run at once on the submitting thread, true when it waited and runs
     *     on the timer's thread (where an exception has nobody to reach)
     */
    void run(boolean queued);
  }

  /** A start waiting for its turn; cancelling it keeps it from ever running. */
  final class Ticket {
    private final Start start;
    private boolean started;

    private Ticket(Start start) {
      this.start = start;
    }

    /** Takes the ticket out of the line; false when its start has run already. */
    boolean cancel() {
      synchronized (RegisterPacer.this) {
        if (started) {
          return false;
        }
        waiting.remove(this);
        return true;
      }
    }
  }

  private final long intervalNanos;
  private final Timer timer;
  private final LongSupplier nanoTime;
  private final Deque<Ticket> waiting = new ArrayDeque<>();

  // Guarded by this.
  private boolean anyRan;
  private long lastRan;
  private boolean armed;
  private boolean running;

  /**
   * A pacer letting {@code ratePerSecond} starts run per second (above 0), timed by {@code
   * nanoTime} and woken by {@code timer}.
   */
  RegisterPacer(double ratePerSecond, Timer timer, LongSupplier nanoTime) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("register rate must be above 0: " + ratePerSecond);
    }
    this.intervalNanos = Math.max(1, (long) Math.ceil(1e9 / ratePerSecond));
    this.timer = timer;
    this.nanoTime = nanoTime;
  }

  /** The gap kept between two starts. */
  Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /**
   * Runs {@code start} now when the token is there (exceptions reach the caller), else queues it
   * behind the starts already waiting; a queued start runs on the timer's thread.
   */
  Ticket submit(Start start) {
    Ticket t = new Ticket(start);
    boolean now;
    synchronized (this) {
      long at = nanoTime.getAsLong();
      now = waiting.isEmpty() && tokenAt(at);
      if (now) {
        take(t);
      } else {
        waiting.add(t);
        arm(at);
      }
    }
    if (now) {
      try {
        start.run(false);
      } finally {
        ran();
      }
    }
    return t;
  }

  /** How many starts wait for their turn. */
  synchronized int waiting() {
    return waiting.size();
  }

  private boolean tokenAt(long now) {
    return !running && (!anyRan || now - lastRan >= intervalNanos);
  }

  private void take(Ticket t) {
    t.started = true;
    running = true;
  }

  /** A start returned: the next one's gap counts from now. */
  private void ran() {
    synchronized (this) {
      running = false;
      anyRan = true;
      lastRan = nanoTime.getAsLong();
      arm(lastRan);
    }
  }

  private void arm(long now) {
    if (armed || running || waiting.isEmpty()) {
      return;
    }
    armed = true;
    long delay = anyRan ? Math.max(0, lastRan + intervalNanos - now) : 0;
    timer.schedule(this::runNext, delay);
  }

  private void runNext() {
    Ticket next;
    synchronized (this) {
      armed = false;
      long now = nanoTime.getAsLong();
      next = waiting.isEmpty() || !tokenAt(now) ? null : waiting.poll();
      if (next != null) {
        take(next);
      } else {
        arm(now);
      }
    }
    if (next != null) {
      try {
        next.start.run(true);
      } finally {
        ran();
      }
    }
  }
}

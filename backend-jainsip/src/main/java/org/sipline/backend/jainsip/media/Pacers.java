package org.sipline.backend.jainsip.media;

import java.util.function.LongConsumer;

/**
 * The engine's {@link Pacer}s: one per core (at most {@value #MAX}), each a thread of its own with
 * its share of the calls. A new stream goes to the pacer with the fewest streams and stays there.
 *
 * <p>Why several: a stream's frame is read, encoded and sent in its tick, on its pacer's thread, so
 * one pacer gives all the calls of the JVM one core at most. G.711 needs about 12 µs a frame and
 * one thread carries 1000 calls; G.722 (about 20 µs more to encode) and Opus (about 100 µs) made
 * one thread the limit at 500 G.722 or 150 Opus calls while the other core idled (BENCHMARKS.md
 * §9). Encoding stays inside the tick, so a frame still holds what the queue had when its slot came
 * — a clear, mute or interrupt asked for before the tick is in that frame, as with one pacer — and
 * each call's frames are still sent by one thread in order.
 *
 * <p>The pacers' ticks are staggered (pacer k of n starts {@code k/n} of a slot later), so that
 * their bursts of sends fall between each other's rather than on top of each other.
 */
final class Pacers implements AutoCloseable {
  /** More pacers than cores only compete for them. */
  static final int MAX = 4;

  private final Pacer[] pacers;

  /**
   * @param count how many pacers, 1..{@value #MAX}
   */
  Pacers(MediaClock clock, int count) {
    if (count < 1 || count > MAX) {
      throw new IllegalArgumentException("pacers must be 1.." + MAX + ": " + count);
    }
    long slotNanos = Pacer.PERIOD_NANOS / Pacer.DEFAULT_SLOTS;
    pacers = new Pacer[count];
    for (int k = 0; k < count; k++) {
      // The first keeps the one pacer's name, which tools look the thread up by.
      String name = k == 0 ? "sipline-rtp-pacer" : "sipline-rtp-pacer-" + (k + 1);
      pacers[k] = new Pacer(clock, Pacer.DEFAULT_SLOTS, k * slotNanos / count, name);
    }
  }

  /** One pacer per available core, at most {@value #MAX}. */
  static int forCores() {
    return Math.max(1, Math.min(MAX, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Starts every pacer's thread with the scheduling request {@code realtime}; when one fails to
   * start, the ones started are stopped and the failure thrown.
   */
  void start(RealtimeScheduling realtime) {
    int started = 0;
    try {
      for (Pacer p : pacers) {
        p.start(realtime);
        started++;
      }
    } catch (RuntimeException e) {
      for (int k = 0; k <= started && k < pacers.length; k++) {
        pacers[k].close();
      }
      throw e;
    }
  }

  /** Adds {@code stream} to the pacer with the fewest streams (the first of equals). */
  Pacer.Registration add(PacedStream stream) {
    Pacer best = pacers[0];
    int bestLoad = best.load();
    for (int k = 1; k < pacers.length; k++) {
      int load = pacers[k].load();
      if (load < bestLoad) {
        best = pacers[k];
        bestLoad = load;
      }
    }
    return best.add(stream);
  }

  /** Tells {@code observer} each served tick's lateness, on every pacer's thread. */
  void observeLag(LongConsumer observer) {
    for (Pacer p : pacers) {
      p.observeLag(observer);
    }
  }

  /**
   * How the pacers are scheduled: the first one that was refused real-time scheduling, else the
   * first's — so a status never claims FIFO for a pacer that does not have it.
   */
  PacerScheduling scheduling() {
    for (Pacer p : pacers) {
      if (p.scheduling().policy() != PacerScheduling.Policy.FIFO) {
        return p.scheduling();
      }
    }
    return pacers[0].scheduling();
  }

  /** How many pacers there are. */
  int count() {
    return pacers.length;
  }

  /** Pacer {@code k}, for tests. */
  Pacer pacer(int k) {
    return pacers[k];
  }

  /** Stops every pacer's thread. */
  @Override
  public void close() {
    for (Pacer p : pacers) {
      p.close();
    }
  }
}

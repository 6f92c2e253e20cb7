package org.sipline.benchmarks.media;

import java.time.Instant;

/**
 * The wall clock the capture's kernel timestamps also use (CLOCK_REALTIME), in nanoseconds since
 * 1970: every client-side time of the harness is taken with it, so that it can be set against a
 * packet's capture time.
 */
final class WallClock {
  private WallClock() {}

  static long nanos() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}

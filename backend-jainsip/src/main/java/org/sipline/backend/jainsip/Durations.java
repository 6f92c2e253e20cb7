package org.sipline.backend.jainsip;

import java.time.Duration;

/** Durations as people read them in logs and failure reasons: "32 s", "1500 ms". */
final class Durations {
  private Durations() {}

  static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}

package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Stop-the-world GC pauses of the load process, read from its JFR recording ({@code
 * jdk.GarbageCollection}: every collection with its longest and summed pauses). The collections the
 * harness asks for itself to measure the heap ({@code System.gc()}) are left out: they are not what
 * a running deployment sees.
 *
 * @param collections collections (not System.gc) whose start lies in the window
 * @param maxPauseNanos the longest pause among them, 0 when none
 * @param totalPauseNanos all their pauses together
 * @param over5ms how many collections paused longer than 5 ms at once
 */
record GcPauses(long collections, long maxPauseNanos, long totalPauseNanos, long over5ms) {
  private static final long FIVE_MS = TimeUnit.MILLISECONDS.toNanos(5);

  /** Collections that started in [from, to) of the recording in {@code jfr}. */
  static GcPauses read(Path jfr, Instant from, Instant to) throws IOException {
    long count = 0;
    long max = 0;
    long total = 0;
    long over = 0;
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (!e.getEventType().getName().equals("jdk.GarbageCollection")
            || "System.gc()".equals(e.getString("cause"))
            || e.getStartTime().isBefore(from)
            || !e.getStartTime().isBefore(to)) {
          continue;
        }
        long longest = e.getDuration("longestPause").toNanos();
        count++;
        max = Math.max(max, longest);
        total += e.getDuration("sumOfPauses").toNanos();
        if (longest > FIVE_MS) {
          over++;
        }
      }
    }
    return new GcPauses(count, max, total, over);
  }
}

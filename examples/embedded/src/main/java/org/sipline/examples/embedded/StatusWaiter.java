package org.sipline.examples.embedded;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sipline.core.Line;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;

/**
 * Prints every status the line records, in order, and lets the program wait for the next one of
 * some types. The line calls watchers on its own thread, so the statuses are handed over through a
 * queue rather than handled there.
 */
final class StatusWaiter implements AutoCloseable {
  private final LinkedBlockingQueue<LineStatus> seen = new LinkedBlockingQueue<>();
  private final AutoCloseable watch;

  StatusWaiter(Line line, PrintStream out) {
    watch =
        line.watch(
            s -> {
              out.printf(
                  "%s %-28s %s%s%n",
                  s.timestamp(),
                  s.type(),
                  s.calleeId().isEmpty() ? "" : s.calleeId() + " ",
                  s.description());
              seen.add(s);
            });
  }

  /**
   * The next status of one of {@code types}, skipping others recorded before it.
   *
   * @throws TimeoutException when none comes within {@code timeout}
   */
  LineStatus await(Set<StatusType> types, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      LineStatus next = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new TimeoutException("no status of " + types + " within " + timeout);
      }
      if (types.contains(next.type())) {
        return next;
      }
    }
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (Exception e) {
      // Closing a watch only unhooks it; nothing is left to clean up if that fails.
    }
  }
}

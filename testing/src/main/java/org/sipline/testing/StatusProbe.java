package org.sipline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.sipline.core.Line;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;

/**
 * Watches a line and waits for statuses to be recorded — the tests' way to wait on a state without
 * sleeping. Every wait is bounded and fails with the history so far.
 */
public final class StatusProbe implements AutoCloseable {
  private final Line line;
  private final List<LineStatus> seen = new ArrayList<>();
  private final AutoCloseable subscription;
  private int cursor;

  /**
   * A probe that sees every status {@code line} records from now on.
   *
   * @param line the line to watch
   */
  public StatusProbe(Line line) {
    this.line = line;
    this.subscription =
        line.watch(
            s -> {
              synchronized (seen) {
                seen.add(s);
                seen.notifyAll();
              }
            });
  }

  /**
   * Waits for the next status of {@code type} recorded after the previous match, and returns it.
   *
   * @param type the status type awaited
   * @param timeout how long to wait at most
   * @return the status
   */
  public LineStatus await(StatusType type, Duration timeout) {
    return await(s -> s.type() == type, type.toString(), timeout);
  }

  /**
   * Waits for the next status matching {@code match} recorded after the previous match, and returns
   * it.
   *
   * @param match what the status must be
   * @param what the match in words, for the failure message
   * @param timeout how long to wait at most
   * @return the status
   */
  public LineStatus await(Predicate<LineStatus> match, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seen) {
      while (true) {
        for (int i = cursor; i < seen.size(); i++) {
          if (match.test(seen.get(i))) {
            cursor = i + 1;
            return seen.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no " + what + " within " + timeout + "; history: " + describe(line.history()));
        }
        try {
          seen.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what);
        }
      }
    }
  }

  /**
   * Waits until at least {@code count} statuses have been seen since this probe started, or the
   * timeout passes, and returns the types seen by then, oldest first: fewer than {@code count} when
   * the timeout passed, more when extra statuses came meanwhile. The caller compares.
   *
   * @param count how many statuses
   * @param timeout how long to wait at most
   * @return the types seen
   */
  public List<StatusType> awaitCount(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seen) {
      long left = deadline - System.nanoTime();
      while (seen.size() < count && left > 0) {
        try {
          seen.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + count + " statuses");
        }
        left = deadline - System.nanoTime();
      }
      return seen.stream().map(LineStatus::type).collect(Collectors.toList());
    }
  }

  /**
   * Statuses seen since this probe started, oldest first.
   *
   * @return the types
   */
  public List<StatusType> types() {
    synchronized (seen) {
      return seen.stream().map(LineStatus::type).collect(Collectors.toList());
    }
  }

  /**
   * "REGISTERED(…) → READY(…)" for failure messages.
   *
   * @param history the statuses
   * @return the statuses in one line
   */
  public static String describe(List<LineStatus> history) {
    return history.stream()
        .map(s -> s.type() + "(" + s.description() + ")")
        .collect(Collectors.joining(" → "));
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until {@code condition} holds, checking every few milliseconds, bounded.
   *
   * @param condition what must become true
   * @param what the condition in words, for the failure message
   * @param timeout how long to wait at most
   */
  public static void awaitTrue(
      java.util.function.BooleanSupplier condition, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within " + timeout);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
    }
  }
}

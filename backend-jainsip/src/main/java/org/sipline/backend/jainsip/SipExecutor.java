package org.sipline.backend.jainsip;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which every piece of SIP state of a backend lives: JAIN-SIP's callbacks, the
 * API's commands and the timers are all queued here and run in order. Confining the state to one
 * thread is what lets a remote BYE and a local hangup meet without locks, and what keeps the
 * listener's events for an account from ever running concurrently.
 */
final class SipExecutor {
  private static final Logger log = LoggerFactory.getLogger(SipExecutor.class);

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  SipExecutor(ThreadGroup group, String name) {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread t = new Thread(group, runnable, name);
              // Daemon: a backend nobody closed must not keep the JVM alive; close() stops it
              // anyway.
              t.setDaemon(true);
              thread = t;
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Queues {@code task}; tasks run one at a time in submission order. */
  void execute(Runnable task) {
    if (executor.isShutdown()) {
      log.debug("SIP executor stopped; dropping {}", task);
      return;
    }
    executor.execute(guarded(task));
  }

  /** Runs {@code task} after {@code delay} unless the returned timer is cancelled first. */
  Timer schedule(Duration delay, Runnable task) {
    if (executor.isShutdown()) {
      return Timer.NONE;
    }
    ScheduledFuture<?> f =
        executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** Runs {@code task} every {@code period}, first after one period. */
  Timer every(Duration period, Runnable task) {
    if (executor.isShutdown()) {
      return Timer.NONE;
    }
    ScheduledFuture<?> f =
        executor.scheduleWithFixedDelay(
            guarded(task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  boolean inExecutor() {
    return Thread.currentThread() == thread;
  }

  /** Stops the thread after the task it is running; queued tasks are dropped. */
  void shutdown(Duration bound) {
    executor.shutdownNow();
    if (inExecutor()) {
      return;
    }
    try {
      if (!executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("SIP executor thread still busy {} after shutdown", bound);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // One broken message or listener must not kill the thread every call depends on.
        log.error("SIP task failed: {}", task, e);
      }
    };
  }

  /** A pending timer. Cancelling one that already ran or was cancelled does nothing. */
  @FunctionalInterface
  interface Timer {
    Timer NONE = () -> {};

    void cancel();
  }
}

package org.sipline.core;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads lines run on: a pool their actors take turns on and one timer. Many lines share one
 * runtime, so a thousand lines cost a handful of threads. Whoever creates a runtime closes it;
 * {@link Line#open(org.sipline.core.spi.SipBackend, LineConfig)} makes a private one that its line
 * closes.
 */
public final class LineRuntime implements AutoCloseable {
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;

  private LineRuntime(int workerThreads) {
    this.workers = Executors.newFixedThreadPool(workerThreads, daemonThreads("sipline-line"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("sipline-line-timer"));
  }

  /**
   * A runtime with {@code workerThreads} threads for the actors of all its lines.
   *
   * @param workerThreads how many threads; at least 1
   * @return the runtime; its owner closes it
   */
  public static LineRuntime create(int workerThreads) {
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads < 1: " + workerThreads);
    }
    return new LineRuntime(workerThreads);
  }

  ExecutorService workers() {
    return workers;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /**
   * Stops the threads; work still queued is dropped after {@code bound}.
   *
   * @param bound how long queued work may still run
   */
  public void close(Duration bound) {
    timer.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

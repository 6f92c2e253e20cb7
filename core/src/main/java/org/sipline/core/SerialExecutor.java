package org.sipline.core;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the line's actor. A task never
 * overlaps another of the same executor, and each sees every earlier task's writes (the lock around
 * the queue publishes them), so line state needs no further locking.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

  /**
   * Made once: a fresh method reference per hand-over would allocate on whatever thread submits,
   * and the RTP pacer submits when a prompt ends (it must not allocate: a full heap would stall
   * it).
   */
  private final Runnable drainTask = this::drain;

  private boolean running;
  private volatile Thread current;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (queue) {
      queue.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      pool.execute(drainTask);
    } catch (RejectedExecutionException e) {
      synchronized (queue) {
        queue.clear();
        running = false;
      }
      throw e;
    }
  }

  /** True when called from inside one of this executor's tasks. */
  boolean inActor() {
    return current == Thread.currentThread();
  }

  private void drain() {
    current = Thread.currentThread();
    while (true) {
      Runnable next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          // Cleared under the lock so a drain starting right after us can't be overwritten.
          current = null;
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        // One broken task must not stop the actor: later commands still need answers.
        log.error("line task failed", e);
      }
    }
  }
}

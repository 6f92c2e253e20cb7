package org.sipline.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The line's bounds and delays: a shared timer that hands each task to the line's actor. */
final class ActorTimer {
  private final ScheduledExecutorService timer;
  private final Executor actor;

  ActorTimer(ScheduledExecutorService timer, Executor actor) {
    this.timer = timer;
    this.actor = actor;
  }

  /**
   * Queues {@code onActor} onto the actor now, from any thread. Once the line has closed, its actor
   * refuses tasks and the task is dropped: nobody is left to run it for.
   */
  void now(Runnable onActor) {
    try {
      actor.execute(onActor);
    } catch (RejectedExecutionException e) {
      // The line closed meanwhile.
    }
  }

  /**
   * Runs {@code onActor} on the actor after {@code delay}.
   *
   * @throws java.util.concurrent.RejectedExecutionException when the runtime's timer is closed
   */
  ScheduledFuture<?> after(Duration delay, Runnable onActor) {
    return timer.schedule(() -> actor.execute(onActor), delay.toMillis(), TimeUnit.MILLISECONDS);
  }
}

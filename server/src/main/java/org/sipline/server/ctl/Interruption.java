package org.sipline.server.ctl;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (or SIGTERM) during a media command into a {@link EventInbox.Stop} the command
 * handles like any other event, and holds the JVM's exit until the command has finished what a stop
 * means (a Clear answered, a WAV header written), at most {@link #GRACE}.
 */
final class Interruption implements AutoCloseable {
  /** How long an interrupted command may take to wind up before the JVM exits anyway. */
  static final Duration GRACE = Duration.ofSeconds(3);

  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;

  Interruption(EventInbox<?> inbox) {
    hook =
        new Thread(
            () -> {
              inbox.stop();
              try {
                done.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sipline-ctl-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The command has finished: let an exit that is waiting go on, or take the hook away. */
  @Override
  public void close() {
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already exiting (the hook is running): it goes on now that done is counted.
    }
  }
}

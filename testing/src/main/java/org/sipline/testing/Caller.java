package org.sipline.testing;

import java.time.Duration;

/** A running caller towards the line. Closing it stops whatever it still does. */
public interface Caller extends AutoCloseable {
  /**
   * Waits until the caller's script ran to its end; true when everything it expected happened.
   *
   * @param timeout how long to wait at most
   * @return true when the script succeeded, false when it failed or the time passed
   * @throws InterruptedException when the waiting thread is interrupted
   */
  boolean awaitSuccess(Duration timeout) throws InterruptedException;

  /**
   * What the caller saw, for assertion messages.
   *
   * @return a description of the caller's progress
   */
  String describe();

  @Override
  void close();
}

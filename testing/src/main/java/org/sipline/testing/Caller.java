package org.sipline.testing;

import java.time.Duration;

/** A running caller towards the line. Closing it stops whatever it still does. */
public interface Caller extends AutoCloseable {
  /** Waits until the caller's script ran to its end; true when everything it expected happened. */
  boolean awaitSuccess(Duration timeout) throws InterruptedException;

  /** What the caller saw, for assertion messages. */
  String describe();

  @Override
  void close();
}

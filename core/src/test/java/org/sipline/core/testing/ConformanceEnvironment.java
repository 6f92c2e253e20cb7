package org.sipline.core.testing;

import java.time.Duration;
import org.sipline.core.spi.SipBackend;

/**
 * The world a backend runs the conformance suite in: the backend itself and peers that behave as
 * the suite asks. One environment serves a whole test class; it is closed after it.
 */
public interface ConformanceEnvironment extends AutoCloseable {
  SipBackend backend();

  /** An account the registrar accepts: {user@host[:port], password, auth user, proxy}. */
  Credentials account();

  /** The same account with a password the registrar refuses. */
  Credentials wrongPassword();

  /** The callee_id that reaches a far end behaving as {@code behaviour}. */
  String callee(FarEnd behaviour);

  /** A transfer target (transfer_id) for the TRANSFER_* far ends. */
  String transferTarget();

  /** Starts a caller towards {@link #account()} following {@code script}. */
  Caller call(CallerScript script);

  /**
   * A far end for the live-media cases that plays {@code audio} (8 kHz mono PCM) from its answer
   * on; see {@link MediaFarEnd}.
   */
  MediaFarEnd mediaFarEnd(short[] audio);

  /** Waits until the registrar no longer holds a binding for {@link #account()}. */
  boolean awaitUnregistered(Duration timeout) throws InterruptedException;

  /** Bounds that suit this environment's peers (a fake answers in microseconds, SIPp doesn't). */
  default Duration patience() {
    return Duration.ofSeconds(15);
  }

  @Override
  void close();

  /** What SipRegisterAccount is given. */
  record Credentials(
      String accountName, String password, String authUsername, String outboundProxy) {}
}

package org.sipline.testing;

/** What a caller towards the line does, for the conformance suite. */
public enum CallerScript {
  /** Waits to be answered, stays about two seconds, then sends BYE. */
  ANSWERED_THEN_CALLER_BYE,
  /** Waits to be answered and stays until the line hangs up (or about a minute passes). */
  ANSWERED_THEN_WAIT_FOR_BYE,
  /** Cancels while the line is still ringing. */
  CANCEL_WHILE_RINGING,
  /** Expects 486 Busy Here. */
  EXPECT_BUSY,
  /** Expects 480 Temporarily Unavailable. */
  EXPECT_UNAVAILABLE,
  /**
   * Calls with {@code Require: timer} and {@code Session-Expires: 90;refresher=uac} (RFC 4028);
   * succeeds when answered 200 with a Session-Expires; stays about two seconds, then sends BYE.
   */
  REQUIRES_SESSION_TIMER
}

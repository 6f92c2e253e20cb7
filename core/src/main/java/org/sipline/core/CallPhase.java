package org.sipline.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where the line's one call stands. Changed only through {@link #to}, which refuses the impossible.
 */
enum CallPhase {
  /** INVITE sent, no final answer yet. */
  DIALING,
  /** An incoming INVITE is ringing until the auto-answer interval passes. */
  RINGING,
  /** 200 OK sent for an incoming call, waiting for the ACK. */
  ANSWERING,
  CONNECTED,
  /** REFER sent, waiting for the transfer's outcome; the call is still up. */
  TRANSFERRING,
  /** We asked the backend to end the call (CANCEL, reject or BYE) and wait for it. */
  HANGING_UP,
  ENDED;

  private Set<CallPhase> next() {
    return switch (this) {
      case DIALING -> EnumSet.of(CONNECTED, HANGING_UP, ENDED);
      case RINGING -> EnumSet.of(ANSWERING, HANGING_UP, ENDED);
      case ANSWERING -> EnumSet.of(CONNECTED, HANGING_UP, ENDED);
      case CONNECTED -> EnumSet.of(TRANSFERRING, HANGING_UP, ENDED);
      case TRANSFERRING -> EnumSet.of(CONNECTED, HANGING_UP, ENDED);
      case HANGING_UP -> EnumSet.of(ENDED);
      case ENDED -> EnumSet.noneOf(CallPhase.class);
    };
  }

  /** The phase after this one; throws when the change can't happen (a bug, never input). */
  CallPhase to(CallPhase target) {
    if (!next().contains(target)) {
      throw new IllegalStateException("call phase " + this + " -> " + target + " is impossible");
    }
    return target;
  }

  /** The call is up (media flows), whether or not a transfer is under way. */
  boolean isUp() {
    return this == CONNECTED || this == TRANSFERRING;
  }
}

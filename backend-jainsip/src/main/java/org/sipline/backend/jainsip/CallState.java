package org.sipline.backend.jainsip;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one call's INVITE dialog stands on the wire. This is the protocol's state; what the
 * listener was told is tracked apart, because a call whose end was already reported may still have
 * SIP work to finish (a CANCEL waiting for a provisional, a BYE after a late 200).
 */
// next is set once, in the static block (the states name each other, so a constructor cannot), and
// never changed after: the enum is immutable in fact.
@SuppressWarnings("ImmutableEnumChecker")
enum CallState {
  /** Outgoing: INVITE sent, nothing back yet. */
  CALLING,
  /** Outgoing: a provisional response came; CANCEL is possible now. */
  PROCEEDING,
  /** Outgoing: we cancel (sent, or waiting for a provisional to be allowed to send it). */
  CANCELLING,
  /** Incoming: 180 sent, the core decides. */
  RINGING,
  /** Incoming: 200 OK sent, waiting for the ACK. */
  ANSWERING,
  /** The dialog is confirmed and media runs. */
  CONNECTED,
  /** Our BYE is out. */
  HANGING_UP,
  /** Nothing more to do on the wire. Terminal. */
  ENDED;

  private Set<CallState> next;

  static {
    CALLING.next = EnumSet.of(PROCEEDING, CANCELLING, CONNECTED, HANGING_UP, ENDED);
    PROCEEDING.next = EnumSet.of(CANCELLING, CONNECTED, HANGING_UP, ENDED);
    CANCELLING.next = EnumSet.of(HANGING_UP, ENDED);
    RINGING.next = EnumSet.of(ANSWERING, ENDED);
    ANSWERING.next = EnumSet.of(CONNECTED, HANGING_UP, ENDED);
    CONNECTED.next = EnumSet.of(HANGING_UP, ENDED);
    HANGING_UP.next = EnumSet.of(ENDED);
    ENDED.next = EnumSet.noneOf(CallState.class);
  }

  /** The state after moving to {@code target}; refuses moves a dialog does not make. */
  CallState moveTo(CallState target) {
    if (!next.contains(target)) {
      throw new IllegalStateException("call cannot go from " + this + " to " + target);
    }
    return target;
  }
}

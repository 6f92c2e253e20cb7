package org.sipline.core;

/**
 * What can happen to a line: the commands that change its state and the backend's (or a timer's)
 * events. {@link LineState#after} says where each one leads from each state.
 */
enum LineEvent {
  /** SipStartSession: an account becomes the active session. */
  START_SESSION("SipStartSession"),
  /** SipEndSession (or shutdown): hang up any call, then un-REGISTER. */
  END_SESSION("SipEndSession"),
  /** The session's un-REGISTER was answered, or its bound passed. */
  SESSION_ENDED("the un-REGISTER's answer"),
  /** SipStartCall: the INVITE is on its way. */
  DIAL("SipStartCall"),
  /** An INVITE for the active session rings the line. */
  INCOMING_CALL("an incoming INVITE"),
  /** The auto-answer interval passed: 200 OK is sent. */
  AUTO_ANSWER("the auto-answer"),
  /** The call is up: ACK sent (outgoing) or received (incoming). */
  CALL_CONNECTED("the call's ACK"),
  /** SipTransferCall: REFER sent. */
  TRANSFER("SipTransferCall"),
  /** The transfer failed (or its bound passed); the call goes on. */
  TRANSFER_FAILED("the transfer's failure"),
  /** SipEndCall (soft) or a soft hangup of the line's own: CANCEL, reject or BYE sent. */
  HANGUP("SipEndCall"),
  /** The call is over, whatever ended it: BYE, failure, hard hangup, a bound, a transfer. */
  CALL_ENDED("the call's end"),
  /** SipPlayWavFiles: needs a call that is up; changes nothing. */
  PLAY("SipPlayWavFiles"),
  /** The line is closed (shutdown done, or torn down): it takes nothing more. */
  CLOSE("closing the line");

  private final String words;

  LineEvent(String words) {
    this.words = words;
  }

  /** The event in words, for messages. */
  String words() {
    return words;
  }
}

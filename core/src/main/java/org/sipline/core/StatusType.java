package org.sipline.core;

/**
 * The line's status types, numbered exactly as {@code ondewo.sip.SipStatus.StatusType} so the
 * server maps them by number. The core never depends on the generated proto.
 */
public enum StatusType {
  /** No session: the state of a new line, and after a session ended. */
  NO_SESSION(0),
  /** The account's REGISTER was answered 2xx. */
  REGISTERED(1),
  /** A session is active and the line has no call. */
  READY(2),
  /** An INVITE for the session's account arrived and rings the line. */
  INCOMING_CALL_INITIATED(3),
  /** The line's INVITE is on its way. */
  OUTGOING_CALL_INITIATED(4),
  /** The callee answered the line's INVITE 2xx; the call is up. */
  OUTGOING_CALL_CONNECTED(5),
  /** The line answered the caller's INVITE; the call is up. */
  INCOMING_CALL_CONNECTED(6),
  /** The line's REFER for a blind transfer is on its way. */
  TRANSFER_CALL_INITIATED(7),
  /** A hangup that ends the call as its state needs (CANCEL, reject or BYE) and waits for it. */
  SOFT_HANGUP_INITIATED(8),
  /** A hangup that tears media and dialog down at once, without waiting on the network. */
  HARD_HANGUP_INITIATED(9),
  /** An incoming call ended before it was answered. */
  INCOMING_CALL_FAILED(10),
  /** An outgoing call never came up (an error response, a timeout, or a CANCEL). */
  OUTGOING_CALL_FAILED(11),
  /** An answered incoming call ended. */
  INCOMING_CALL_FINISHED(12),
  /** An answered outgoing call ended. */
  OUTGOING_CALL_FINISHED(13),
  /** A REGISTER failed: an error response, a challenge that could not be answered, or no answer. */
  SESSION_REGISTRATION_FAILED(14),
  /** A session started on a registered account. */
  SESSION_STARTED(15),
  /** The session ended: its call hung up and its account un-registered. */
  SESSION_ENDED(16),
  /** A transfer failed; the call goes on. */
  TRANSFER_CALL_FAILED(17),
  /** The line's outgoing audio is silenced; RTP keeps flowing. */
  MICROPHONE_MUTED(18),
  /** The line's outgoing audio is heard again. */
  MICROPHONE_UNMUTED(19),
  /** Every WAV file of a play request was played. */
  MICROPHONE_WAV_FILES_PLAYED(20),
  /**
   * A request needed a call and there was none, or the call ended first; the description says what
   * was done.
   */
  NO_ONGOING_CALL(21);

  private final int number;

  StatusType(int number) {
    this.number = number;
  }

  /**
   * The wire number of {@code ondewo.sip.SipStatus.StatusType}.
   *
   * @return the number
   */
  public int number() {
    return number;
  }
}

package org.sipline.core;

/**
 * The line's status types, numbered exactly as {@code ondewo.sip.SipStatus.StatusType} so the
 * server maps them by number. The core never depends on the generated proto.
 */
public enum StatusType {
  NO_SESSION(0),
  REGISTERED(1),
  READY(2),
  INCOMING_CALL_INITIATED(3),
  OUTGOING_CALL_INITIATED(4),
  OUTGOING_CALL_CONNECTED(5),
  INCOMING_CALL_CONNECTED(6),
  TRANSFER_CALL_INITIATED(7),
  SOFT_HANGUP_INITIATED(8),
  HARD_HANGUP_INITIATED(9),
  INCOMING_CALL_FAILED(10),
  OUTGOING_CALL_FAILED(11),
  INCOMING_CALL_FINISHED(12),
  OUTGOING_CALL_FINISHED(13),
  SESSION_REGISTRATION_FAILED(14),
  SESSION_STARTED(15),
  SESSION_ENDED(16),
  TRANSFER_CALL_FAILED(17),
  MICROPHONE_MUTED(18),
  MICROPHONE_UNMUTED(19),
  MICROPHONE_WAV_FILES_PLAYED(20),
  NO_ONGOING_CALL(21);

  private final int number;

  StatusType(int number) {
    this.number = number;
  }

  /** The wire number of {@code ondewo.sip.SipStatus.StatusType}. */
  public int number() {
    return number;
  }
}

package org.sipline.testing;

/**
 * How the far end of an outgoing call behaves, for the conformance suite: each real backend's
 * environment maps these onto a real peer (a SIPp scenario, a baresip), the fake onto a script.
 */
public enum FarEnd {
  /** 180, then 200 OK; waits for our BYE. */
  ANSWER,
  /** 486 Busy Here. */
  BUSY,
  /** 180 Ringing, then 603 Decline. */
  RING_THEN_DECLINE,
  /** Answers, then hangs up itself (BYE) after about a second. */
  ANSWER_THEN_BYE,
  /** Answers; accepts a REFER (202) and reports the target answered (NOTIFY sipfrag 200). */
  TRANSFER_ACCEPT,
  /** Answers; refuses a REFER (603). */
  TRANSFER_REFUSE,
  /** Answers; accepts a REFER, then reports failure (NOTIFY sipfrag 503). */
  TRANSFER_NOTIFY_FAIL,
  /**
   * Answers, then sends a REFER of its own in the dialog (toward a premium number); it succeeds
   * when the line refuses it (603 or 403) and later hangs up with BYE.
   */
  REFER_FROM_FAR_END,
  /**
   * Answers with an SDP whose c= is a host name rather than an IP address; it succeeds when the
   * line ACKs the 200 OK and hangs up with BYE (media to a name is refused, not looked up).
   */
  ANSWER_WITH_HOST_NAME_IN_SDP,
  /**
   * Answers; about a second later holds the call by re-INVITE with {@code a=sendonly}, a second
   * after that takes it back by re-INVITE with {@code a=sendrecv}; then waits for our BYE.
   */
  HOLD_THEN_RESUME
}

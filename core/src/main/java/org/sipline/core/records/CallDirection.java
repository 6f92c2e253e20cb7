package org.sipline.core.records;

/** Who placed the call. */
public enum CallDirection {
  /** The far end called the line. */
  INCOMING,
  /** The line called the far end (SipStartCall). */
  OUTGOING
}

package org.sipline.core.records;

/** Who ended a call. */
public enum CallSide {
  /** This line: a hangup asked for, a transfer, a timeout of ours, the process shutting down. */
  LOCAL,
  /** The far end: its BYE, CANCEL, or final error response to our INVITE. */
  REMOTE,
  /** Neither party: no answer in time, a transport error, a broken dialog. */
  NETWORK
}

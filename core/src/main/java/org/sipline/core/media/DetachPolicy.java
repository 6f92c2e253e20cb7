package org.sipline.core.media;

/** What a line does with a call whose Converse writer went away and did not come back in time. */
public enum DetachPolicy {
  /** The call goes on with silence; a new writer may attach (the default). */
  KEEP_CALL,
  /** The line hangs up (BYE). */
  HANG_UP
}

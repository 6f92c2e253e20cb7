package org.sipline.core.media;

/** How a mark resolved; each mark resolves exactly once. */
public enum MarkOutcome {
  /** The packet holding the mark's position was handed to the socket. */
  PLAYED,
  /** A clear dropped it before it played. */
  CLEARED,
  /** The call ended before it played. */
  CALL_ENDED,
  /** Its stream ended (taken over, or not resumed within the grace) before it played. */
  DETACHED
}

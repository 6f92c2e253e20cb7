package org.sipline.core.records;

/** How a call ended; {@link CallSide} says by whom. */
public enum CallEnding {
  /** A BYE ended the established call. */
  BYE,
  /** A CANCEL ended the call before it was answered (487 Request Terminated). */
  CANCEL,
  /**
   * The INVITE got a final error response: busy (486, 600), declined (603), refused (403, 404, 480,
   * …). REMOTE when the far end answered so, LOCAL when this line did.
   */
  REJECTED,
  /** A blind transfer (REFER) handed the call over. */
  TRANSFER,
  /** No RTP arrived from the far end for the media timeout. */
  MEDIA_TIMEOUT,
  /** The process shut down (SIGTERM) or the line closed while the call ran. */
  SHUTDOWN,
  /**
   * The process died with the call up (kill -9, a crash, power loss): the record is written by the
   * next process on the same journal when it ends the call it found there, once.
   */
  CRASH,
  /** A hard hangup: torn down locally without waiting for the network. */
  TEARDOWN,
  /** The call did not come up in time, or its hangup went unanswered. */
  TIMEOUT,
  /** Anything else: a transport error, a broken dialog, a fault sending a request. */
  ERROR
}

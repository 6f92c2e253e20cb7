package org.sipline.backend.pjsip;

/** Where a call is, as far as the Java side is concerned. */
enum CallState {
  /** Incoming, 180 sent, waiting for answer or reject. */
  OFFERED,
  /** Incoming, 200 OK sent, waiting for the ACK. */
  ANSWERING,
  /** Outgoing INVITE sent, no final response yet. */
  CALLING,
  /** 2xx + ACK: the dialog is up and media runs. */
  CONNECTED,
  /** Its terminal event was delivered. */
  ENDED;

  boolean canMoveTo(CallState next) {
    return switch (this) {
      case OFFERED -> next == ANSWERING || next == ENDED;
      case ANSWERING, CALLING -> next == CONNECTED || next == ENDED;
      case CONNECTED -> next == ENDED;
      case ENDED -> false;
    };
  }
}

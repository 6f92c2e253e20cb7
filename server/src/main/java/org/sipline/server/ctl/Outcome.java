package org.sipline.server.ctl;

import java.util.EnumSet;
import java.util.Set;
import org.sipline.api.sip.SipStatus.StatusType;

/**
 * What {@code --wait} waits for after a request that only starts something: the statuses that
 * settle it, and which of them count as success.
 */
record Outcome(Set<StatusType> success, Set<StatusType> failure) {
  /** An outgoing call is settled once it is answered or has failed. */
  static final Outcome CALL =
      new Outcome(
          EnumSet.of(StatusType.OUTGOING_CALL_CONNECTED),
          EnumSet.of(StatusType.OUTGOING_CALL_FAILED, StatusType.OUTGOING_CALL_FINISHED));

  /** A transfer is settled once the call has ended (transferred) or the transfer failed. */
  static final Outcome TRANSFER =
      new Outcome(
          EnumSet.of(StatusType.OUTGOING_CALL_FINISHED, StatusType.INCOMING_CALL_FINISHED),
          EnumSet.of(StatusType.TRANSFER_CALL_FAILED));

  Set<StatusType> all() {
    Set<StatusType> all = EnumSet.copyOf(success);
    all.addAll(failure);
    return all;
  }
}

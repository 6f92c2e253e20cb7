package org.sipline.core;

import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallSide;

/**
 * How a call ended, for its call record: by whom, how, and the INVITE's final response (200 for a
 * call that connected).
 */
record CallOutcome(CallSide side, CallEnding ending, int sipCode, String sipReason) {
  static CallOutcome connected(CallSide side, CallEnding ending) {
    return new CallOutcome(side, ending, 200, "OK");
  }

  static CallOutcome local(CallEnding ending, int sipCode, String sipReason) {
    return new CallOutcome(CallSide.LOCAL, ending, sipCode, sipReason);
  }

  /** The same ending, said to happen because the process shuts down when it was ours. */
  CallOutcome duringShutdown() {
    return side == CallSide.LOCAL && ending != CallEnding.TRANSFER
        ? new CallOutcome(side, CallEnding.SHUTDOWN, sipCode, sipReason)
        : this;
  }
}

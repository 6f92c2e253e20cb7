package org.sipline.core.records;

/**
 * Where a line's call records go. Called once per call on the line's actor, right after the call's
 * end was recorded in the status history: an implementation must return quickly and never block on
 * I/O (queue the record for a writer thread instead). An exception it throws is logged and the line
 * goes on.
 */
@FunctionalInterface
public interface CallRecordSink {
  /** Drops every record: the default when nobody asked for them. */
  CallRecordSink DISCARD = record -> {};

  /**
   * Takes the record of a call that ended. Called once per call, on the line's thread: an
   * implementation that writes to disk or the network hands the work on.
   *
   * @param record the call's record
   */
  void accept(CallRecord record);
}

package org.sipline.server;

import org.sipline.core.media.StreamCounters;

/** Told when a live-media stream (Converse, Listen) starts and ends, for the metrics. */
interface MediaStreamObserver {
  MediaStreamObserver NONE = new MediaStreamObserver() {};

  /** A stream of {@code kind} ("Converse", "Listen") was opened. */
  default void opened(String kind) {}

  /**
   * The stream ended; {@code counters} are its final statistics, or null when it ended before they
   * were reached.
   */
  default void ended(String kind, StreamCounters counters) {}
}

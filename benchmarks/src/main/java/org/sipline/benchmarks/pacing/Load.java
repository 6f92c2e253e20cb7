package org.sipline.benchmarks.pacing;

/**
 * N calls streaming from one JVM, at one level of the stack. The load process measures heap around
 * {@link #connect} and {@link #play}; everything in between is what a call costs.
 */
interface Load extends AutoCloseable {
  /** Sets up {@code calls} calls whose RTP runs (silence) once this returns; returns how many. */
  int connect(int calls) throws Exception;

  /** Makes every call play the WAV, over and over. */
  void play() throws Exception;

  /** Ends every call and releases everything; waits a bounded time. */
  @Override
  void close();
}

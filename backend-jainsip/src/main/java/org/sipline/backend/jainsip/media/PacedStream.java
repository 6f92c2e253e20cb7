package org.sipline.backend.jainsip.media;

/**
 * An outgoing stream as the {@link Pacer} drives it. Both methods run on the pacer's thread, at
 * most once per frame period; they must not block and should not allocate.
 */
interface PacedStream {
  /** Produces and sends the frame that is due now. */
  void sendFrame();

  /** {@code frames} due frames were dropped because the pacer fell behind (e.g. a GC pause). */
  void skipFrames(int frames);
}

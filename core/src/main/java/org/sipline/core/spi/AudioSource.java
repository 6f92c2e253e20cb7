package org.sipline.core.spi;

/**
 * What a call sends. The backend's pacer asks for one frame every 20 ms on its own thread, so an
 * implementation must never block and must not allocate per frame.
 *
 * <p>Per tick the backend calls {@link #read}, builds the packet, hands it to the socket and then
 * calls {@link #sent}: that call is the moment the frame's audio counts as played (marks resolve,
 * played positions advance). Ticks the pacer could not serve (it fell behind) are reported with
 * {@link #skipped}, so the core's timeline keeps step with the RTP timestamp.
 */
@FunctionalInterface
public interface AudioSource {
  /**
   * Fills {@code frame} (exactly {@code AudioFrames.frameSamples(call.audioRate())} samples: {@link
   * AudioFrames#FRAME_SAMPLES} for G.711) with the next 20 ms.
   *
   * @return true when the frame carries played audio, false when it is silence (nothing queued, or
   *     muted). A false → true change starts a talkspurt (RTP marker bit).
   * @param frame the buffer to fill; its previous content is overwritten
   */
  boolean read(short[] frame);

  /**
   * The packet made from the last {@link #read} was handed to the socket ({@code onWire} true) or
   * could not be (no peer address yet, a full socket buffer, a send error). Called on the pacer
   * thread right after the send; a backend that cannot tell reports true right after the frame is
   * handed to its media engine. A source that is read again without this call treats the previous
   * frame as sent.
   *
   * @param onWire true when the packet reached the socket
   */
  default void sent(boolean onWire) {}

  /**
   * {@code frames} ticks passed without a read (the pacer fell behind); never negative.
   *
   * @param frames how many 20 ms ticks were not read
   */
  default void skipped(int frames) {}

  /** A source of endless silence. */
  AudioSource SILENCE =
      frame -> {
        java.util.Arrays.fill(frame, (short) 0);
        return false;
      };
}

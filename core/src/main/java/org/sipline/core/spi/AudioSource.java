package org.sipline.core.spi;

/**
 * What a call sends. The backend's pacer asks for one frame every 20 ms on its own thread, so an
 * implementation must never block and must not allocate per frame.
 */
@FunctionalInterface
public interface AudioSource {
  /**
   * Fills {@code frame} (exactly {@link AudioFrames#FRAME_SAMPLES} samples) with the next 20 ms.
   *
   * @return true when the frame carries played audio, false when it is silence (nothing queued, or
   *     muted). A false → true change starts a talkspurt (RTP marker bit).
   */
  boolean read(short[] frame);

  /** A source of endless silence. */
  AudioSource SILENCE =
      frame -> {
        java.util.Arrays.fill(frame, (short) 0);
        return false;
      };
}

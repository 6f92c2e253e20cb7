package org.sipline.core.spi;

/**
 * The audio that crosses the SPI: 16-bit signed PCM, mono, 20 ms frames, at the call's rate ({@link
 * SipCall#audioRate()}): 8 kHz for G.711 (the constants here), 16 kHz for G.722, 48 kHz for Opus.
 */
public final class AudioFrames {
  /**
   * G.711's clock rate; both PCMU and PCMA run at it. A call's rate unless its backend says else.
   */
  public static final int SAMPLE_RATE = 8000;

  /** One packet time. */
  public static final int FRAME_MILLIS = 20;

  /** Samples in one frame at 8 kHz: 8000 Hz × 20 ms. */
  public static final int FRAME_SAMPLES = SAMPLE_RATE * FRAME_MILLIS / 1000;

  private AudioFrames() {}

  /**
   * Whether a call may run at {@code rate}: 8000 (G.711), 16000 (G.722, Opus at 16 kHz), 24000 or
   * 48000 (Opus).
   *
   * @param rate samples per second
   * @return true for a rate the core's media path speaks
   */
  public static boolean isCallRate(int rate) {
    return rate == 8000 || rate == 16000 || rate == 24000 || rate == 48000;
  }

  /**
   * Samples in one 20 ms frame at {@code rate}.
   *
   * @param rate a call rate ({@link #isCallRate})
   * @return {@code rate / 50}
   * @throws IllegalArgumentException for a rate that is not a call rate
   */
  public static int frameSamples(int rate) {
    return checkRate(rate) * FRAME_MILLIS / 1000;
  }

  /**
   * Checks a call rate.
   *
   * @param rate samples per second
   * @return {@code rate}
   * @throws IllegalArgumentException for a rate that is not a call rate, naming the valid ones
   */
  public static int checkRate(int rate) {
    if (!isCallRate(rate)) {
      throw new IllegalArgumentException(
          "audio rate " + rate + " Hz: a call runs at 8000, 16000, 24000 or 48000");
    }
    return rate;
  }
}

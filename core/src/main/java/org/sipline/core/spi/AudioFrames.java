package org.sipline.core.spi;

/** The one audio format that crosses the SPI: 16-bit signed PCM, mono, 8 kHz, 20 ms frames. */
public final class AudioFrames {
  /** G.711's clock rate; both PCMU and PCMA run at it. */
  public static final int SAMPLE_RATE = 8000;

  /** One packet time. */
  public static final int FRAME_MILLIS = 20;

  /** Samples in one frame: 8000 Hz × 20 ms. */
  public static final int FRAME_SAMPLES = SAMPLE_RATE * FRAME_MILLIS / 1000;

  private AudioFrames() {}
}

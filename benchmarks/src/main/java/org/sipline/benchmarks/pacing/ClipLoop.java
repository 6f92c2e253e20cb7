package org.sipline.benchmarks.pacing;

import java.util.concurrent.atomic.AtomicBoolean;
import org.sipline.core.spi.AudioSource;

/**
 * The media-level load's audio: a clip shared by every call (not copied), played in a loop from
 * each call's own position once the shared flag {@code playing} is set; silence before. Reads
 * allocate nothing, as the SPI asks.
 */
final class ClipLoop implements AudioSource {
  private final short[] clip;
  private final AtomicBoolean playing;
  private int position;

  /**
   * @param clip 8 kHz mono samples, at least one
   * @param playing shared switch: audio flows once it is true
   */
  ClipLoop(short[] clip, AtomicBoolean playing) {
    if (clip.length == 0) {
      throw new IllegalArgumentException("clip has no samples");
    }
    this.clip = clip;
    this.playing = playing;
  }

  @Override
  public boolean read(short[] frame) {
    if (!playing.get()) {
      java.util.Arrays.fill(frame, (short) 0);
      return false;
    }
    for (int i = 0; i < frame.length; ) {
      int n = Math.min(frame.length - i, clip.length - position);
      System.arraycopy(clip, position, frame, i, n);
      i += n;
      position = (position + n) % clip.length;
    }
    return true;
  }
}

package org.sipline.backend.jainsip.hardening;

import java.util.Arrays;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;

/** Plays a fixed signal once in 20 ms frames, then silence; the pacer thread reads it. */
final class OneShotSource implements AudioSource {
  private final short[] audio;
  private volatile int position;

  OneShotSource(short[] audio) {
    this.audio = audio.clone();
  }

  /**
   * {@code frames} frames of a rising tone plus a small ramp, so no two frames are alike and a
   * foreign or misplaced frame shows in a sample-exact comparison.
   */
  static short[] sweep(int frames) {
    short[] s = new short[frames * AudioFrames.FRAME_SAMPLES];
    for (int i = 0; i < s.length; i++) {
      double t = i / (double) AudioFrames.SAMPLE_RATE;
      s[i] = (short) (9000 * Math.sin(2 * Math.PI * (300 + 500 * t) * t) + (i % 11) * 5);
    }
    return s;
  }

  @Override
  public boolean read(short[] frame) {
    int p = position;
    if (p >= audio.length) {
      Arrays.fill(frame, (short) 0);
      return false;
    }
    int n = Math.min(frame.length, audio.length - p);
    System.arraycopy(audio, p, frame, 0, n);
    Arrays.fill(frame, n, frame.length, (short) 0);
    position = p + n;
    return true;
  }

  boolean finished() {
    return position >= audio.length;
  }
}

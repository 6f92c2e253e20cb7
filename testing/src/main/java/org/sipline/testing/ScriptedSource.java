package org.sipline.testing;

import java.util.Arrays;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;

/**
 * Plays a fixed sample array once in frames of whatever size the reader asks (20 ms at the call's
 * rate), then silence. Backends' tests play it as the bot's audio or as a far end's.
 */
public final class ScriptedSource implements AudioSource {
  private final short[] audio;
  private volatile int position;

  /**
   * A source of {@code audio}, copied.
   *
   * @param audio the samples to play, at the rate of the frames that will be read
   */
  public ScriptedSource(short[] audio) {
    this.audio = audio.clone();
  }

  /**
   * A recognisable test signal: a rising tone plus a small ramp, so that no two frames are alike
   * and a foreign or misplaced frame shows in a sample-exact comparison.
   *
   * @param frames how many 20 ms frames at 8 kHz
   * @return the signal
   */
  public static short[] sweep(int frames) {
    short[] s = new short[frames * AudioFrames.FRAME_SAMPLES];
    for (int i = 0; i < s.length; i++) {
      double t = i / (double) AudioFrames.SAMPLE_RATE;
      s[i] = (short) (12000 * Math.sin(2 * Math.PI * (200 + 40 * t * 100) * t) + (i % 7) * 3);
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

  /**
   * Whether every sample has been read.
   *
   * @return true once the last sample was handed out
   */
  public boolean finished() {
    return position >= audio.length;
  }
}

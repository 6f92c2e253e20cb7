package org.sipline.testing;

import java.util.SplittableRandom;

/**
 * Reference signals for audio tests, as 16-bit PCM. Noise correlates sharply at exactly one lag, so
 * it measures delay and loss well; a tone is easy to hear in a recording and to spot by RMS.
 */
public final class TestSignals {
  private TestSignals() {}

  /**
   * Uniform pseudo-random noise in {@code ±amplitude}, the same for the same seed.
   *
   * @param seed the generator's seed
   * @param samples how many samples
   * @param amplitude the peak
   * @return the noise
   */
  public static short[] noise(long seed, int samples, int amplitude) {
    checkAmplitude(amplitude);
    SplittableRandom random = new SplittableRandom(seed);
    short[] s = new short[checkLength(samples)];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) random.nextInt(-amplitude, amplitude + 1);
    }
    return s;
  }

  /**
   * A sine of {@code hz} at {@code sampleRate} with peak {@code amplitude}.
   *
   * @param hz the tone's frequency
   * @param sampleRate the rate in Hz
   * @param samples how many samples
   * @param amplitude the peak
   * @return the tone
   */
  public static short[] tone(double hz, int sampleRate, int samples, int amplitude) {
    checkAmplitude(amplitude);
    if (hz <= 0 || hz >= sampleRate / 2.0) {
      throw new IllegalArgumentException(
          "tone must be between 0 and " + sampleRate / 2 + " Hz: " + hz);
    }
    short[] s = new short[checkLength(samples)];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / sampleRate));
    }
    return s;
  }

  /**
   * {@code samples} zeros.
   *
   * @param samples how many samples
   * @return the silence
   */
  public static short[] silence(int samples) {
    return new short[checkLength(samples)];
  }

  /**
   * The signals one after the other.
   *
   * @param parts the signals
   * @return one signal holding them all
   */
  public static short[] concat(short[]... parts) {
    int total = 0;
    for (short[] p : parts) {
      total = Math.addExact(total, p.length);
    }
    short[] all = new short[total];
    int at = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  private static void checkAmplitude(int amplitude) {
    if (amplitude < 0 || amplitude > Short.MAX_VALUE) {
      throw new IllegalArgumentException("amplitude out of range 0-32767: " + amplitude);
    }
  }

  private static int checkLength(int samples) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples < 0: " + samples);
    }
    return samples;
  }
}

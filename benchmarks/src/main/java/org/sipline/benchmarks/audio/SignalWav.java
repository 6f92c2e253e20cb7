package org.sipline.benchmarks.audio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Benchmark input: a 16-bit PCM WAV file of a speech-like signal (a few harmonics of a wandering
 * fundamental plus noise, at conversational loudness), the same in every channel.
 *
 * <p>Written by the JDK's own WAV writer ({@code javax.sound.sampled}) so that the benchmarks' main
 * code needs no test library (sipline-testing's {@code TestWavs}) on its class path. Deterministic:
 * the same arguments give the same bytes, so runs compare like with like.
 */
public final class SignalWav {
  private static final int BITS = 16;

  private SignalWav() {}

  /**
   * A WAV file of the signal.
   *
   * @param sampleRate samples per second per channel, 1000..192000
   * @param channels 1 or 2
   * @param millis length of the audio, at least 1 ms
   * @return the whole WAV file
   */
  public static byte[] speechLike(int sampleRate, int channels, int millis) {
    if (sampleRate < 1000 || sampleRate > 192_000) {
      throw new IllegalArgumentException("sampleRate out of range 1000..192000: " + sampleRate);
    }
    if (channels != 1 && channels != 2) {
      throw new IllegalArgumentException("channels not 1 or 2: " + channels);
    }
    if (millis < 1) {
      throw new IllegalArgumentException("millis < 1: " + millis);
    }
    int frames = (int) ((long) sampleRate * millis / 1000);
    byte[] pcm = new byte[frames * channels * 2];
    SplittableRandom noise = new SplittableRandom(8000);
    double phase = 0;
    for (int i = 0; i < frames; i++) {
      double t = (double) i / sampleRate;
      // A fundamental gliding between 100 and 220 Hz, like intonation.
      double f0 = 160 + 60 * Math.sin(2 * Math.PI * 0.7 * t);
      phase += 2 * Math.PI * f0 / sampleRate;
      double v =
          0.30 * Math.sin(phase)
              + 0.15 * Math.sin(2 * phase)
              + 0.08 * Math.sin(3 * phase)
              + 0.04 * Math.sin(7 * phase)
              + 0.02 * (noise.nextDouble() * 2 - 1);
      short s = (short) Math.round(v * 32767);
      for (int c = 0; c < channels; c++) {
        int at = (i * channels + c) * 2;
        pcm[at] = (byte) s;
        pcm[at + 1] = (byte) (s >> 8);
      }
    }
    AudioFormat format = new AudioFormat(sampleRate, BITS, channels, true, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream(pcm.length + 64);
    try (AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(pcm), format, frames)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
    } catch (IOException e) {
      // Writing to memory cannot fail for I/O reasons; anything else is a JDK defect.
      throw new UncheckedIOException("writing a WAV into memory failed", e);
    }
    return out.toByteArray();
  }
}

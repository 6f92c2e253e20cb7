package org.sipline.core.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded WAV file: mono 16-bit PCM at the file's own sample rate, and what the file was.
 *
 * <p>The record holds {@code samples} as given, without a copy: audio can be long, and it is handed
 * from one pipeline stage to the next. Whoever receives it must not modify the array.
 *
 * @param sampleRate the file's sample rate in Hz (also the rate of {@code samples})
 * @param channels how many channels the file had (1 or 2; stereo is downmixed into {@code samples})
 * @param encoding how the file stored its samples
 * @param samples mono 16-bit signed PCM, never empty
 */
// A record for its accessors; WavAudio is handed on, never compared or hashed, so equality by
// array identity does not matter, and copying the samples would cost what the pipeline saves.
@SuppressWarnings("ArrayRecordComponent")
public record WavAudio(int sampleRate, int channels, WavEncoding encoding, short[] samples) {
  /**
   * Checks the parts: a known encoding, a positive rate, one or two channels, and samples.
   *
   * @param sampleRate the file's sample rate in Hz (also the rate of {@code samples})
   * @param channels how many channels the file had (1 or 2; stereo is downmixed into {@code
   *     samples})
   * @param encoding how the file stored its samples
   * @param samples mono 16-bit signed PCM, never empty
   */
  public WavAudio {
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(samples, "samples");
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate <= 0: " + sampleRate);
    }
    if (channels < 1 || channels > 2) {
      throw new IllegalArgumentException("channels not 1 or 2: " + channels);
    }
  }

  /**
   * Bits per sample of the file (8 or 16).
   *
   * @return 8 or 16
   */
  public int bitsPerSample() {
    return encoding.bitsPerSample();
  }

  /**
   * How long the audio plays, rounded down to whole milliseconds.
   *
   * @return the duration in milliseconds
   */
  public long durationMillis() {
    return samples.length * 1000L / sampleRate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WavAudio other
        && sampleRate == other.sampleRate
        && channels == other.channels
        && encoding == other.encoding
        && Arrays.equals(samples, other.samples);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleRate, channels, encoding, Arrays.hashCode(samples));
  }

  @Override
  public String toString() {
    // The samples themselves would flood any log line.
    return "WavAudio["
        + encoding
        + ", "
        + sampleRate
        + " Hz, "
        + channels
        + " ch, "
        + samples.length
        + " samples, "
        + durationMillis()
        + " ms]";
  }
}

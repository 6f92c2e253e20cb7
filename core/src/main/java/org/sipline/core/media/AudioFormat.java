package org.sipline.core.media;

import java.util.Objects;
import org.sipline.core.InvalidArgumentException;

/**
 * The encoding and rate of one direction of a stream.
 *
 * @param encoding the encoding
 * @param sampleRate Hz; 0 means "the call's native rate" and is resolved when the stream attaches
 */
public record AudioFormat(AudioEncoding encoding, int sampleRate) {
  /**
   * Checks that an encoding is given and the rate is not negative.
   *
   * @param encoding the encoding
   * @param sampleRate Hz; 0 means "the call's native rate" and is resolved when the stream attaches
   */
  public AudioFormat {
    Objects.requireNonNull(encoding, "encoding");
  }

  /** LINEAR16 at whatever rate the call runs at. */
  public static final AudioFormat NATIVE = new AudioFormat(AudioEncoding.LINEAR16, 0);

  /**
   * Checks the format a client asked for, naming {@code field} in the error.
   *
   * @throws InvalidArgumentException for a rate the encoding does not take
   * @param field the request field the format came from, named in the error
   * @return this format, when the encoding takes its rate
   */
  public AudioFormat validate(String field) {
    switch (encoding) {
      case LINEAR16 -> {
        if (sampleRate != 0
            && sampleRate != 8000
            && sampleRate != 16000
            && sampleRate != 24000
            && sampleRate != 48000) {
          throw new InvalidArgumentException(
              field + ".sample_rate",
              sampleRate + " Hz: LINEAR16 takes 8000, 16000, 24000 or 48000 (0 = the call's rate)");
        }
      }
      case MULAW, ALAW -> {
        if (sampleRate != 0 && sampleRate != 8000) {
          throw new InvalidArgumentException(
              field + ".sample_rate", sampleRate + " Hz: " + encoding + " is 8000 Hz only");
        }
      }
    }
    return this;
  }
}

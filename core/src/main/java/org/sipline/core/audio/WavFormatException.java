package org.sipline.core.audio;

/**
 * A WAV file that sipline cannot play, with the reason in the message, e.g. {@code "fmt chunk size
 * 12 < 16"} or {@code "24-bit PCM not supported: use 8/16-bit PCM, mu-law or A-law"}.
 *
 * <p>Unchecked, an {@link IllegalArgumentException}: the bytes are a caller's argument, and the
 * line turns this into INVALID_ARGUMENT naming the file. It is the only exception {@link WavReader}
 * and {@link WavDecoder} throw for any content of the bytes.
 */
public final class WavFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal of a WAV file.
   *
   * @param message what is wrong with the file, in words a client can act on
   */
  public WavFormatException(String message) {
    super(message);
  }
}

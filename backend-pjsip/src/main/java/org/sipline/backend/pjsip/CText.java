package org.sipline.backend.pjsip;

import java.nio.charset.StandardCharsets;

/** Reads the NUL-terminated texts the shim writes into Java byte buffers. */
final class CText {
  /** Size of the error buffers handed to the shim; its messages are far shorter. */
  static final int ERROR_CAPACITY = 512;

  private CText() {}

  static byte[] errorBuffer() {
    return new byte[ERROR_CAPACITY];
  }

  /** The text up to the first NUL (or the whole buffer), as UTF-8. */
  static String of(byte[] buffer) {
    int end = 0;
    while (end < buffer.length && buffer[end] != 0) {
      end++;
    }
    return new String(buffer, 0, end, StandardCharsets.UTF_8);
  }
}

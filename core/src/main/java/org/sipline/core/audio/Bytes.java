package org.sipline.core.audio;

import java.nio.charset.StandardCharsets;

/** Little-endian field access and printable names for the RIFF parser. Callers check bounds. */
final class Bytes {
  private Bytes() {}

  static int u16(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
  }

  static long u32(byte[] b, int off) {
    return ((b[off] & 0xFF)
        | (b[off + 1] & 0xFF) << 8
        | (b[off + 2] & 0xFF) << 16
        | (long) (b[off + 3] & 0xFF) << 24);
  }

  /** The four bytes as ISO-8859-1 text, for comparing chunk ids. */
  static String fourCc(byte[] b, int off) {
    return new String(b, off, 4, StandardCharsets.ISO_8859_1);
  }

  /**
   * A chunk id for a message: {@code fmt}, {@code data}, {@code 'LIST'} or hex when unprintable.
   */
  static String chunkName(String id) {
    if (id.equals("fmt ") || id.equals("data")) {
      return id.strip();
    }
    return isPrintable(id)
        ? "'" + id + "'"
        : describe(id.getBytes(StandardCharsets.ISO_8859_1), 0, 4);
  }

  /** Bytes for a message: {@code 'ID3\u0003'} would confuse, so {@code 49 44 33 03 ("ID3.")}. */
  static String describe(byte[] b, int off, int len) {
    StringBuilder text = new StringBuilder();
    for (int i = off; i < off + len; i++) {
      int v = b[i] & 0xFF;
      text.append(v >= 0x20 && v < 0x7F ? (char) v : '.');
    }
    return hex(b, off, len) + " (\"" + text + "\")";
  }

  /** {@code 49 44 33 03}. */
  static String hex(byte[] b, int off, int len) {
    StringBuilder hex = new StringBuilder();
    for (int i = off; i < off + len; i++) {
      int v = b[i] & 0xFF;
      if (hex.length() > 0) {
        hex.append(' ');
      }
      hex.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xF, 16));
    }
    return hex.toString();
  }

  private static boolean isPrintable(String s) {
    return s.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
  }
}

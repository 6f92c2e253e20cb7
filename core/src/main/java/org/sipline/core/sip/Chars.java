package org.sipline.core.sip;

/** Character classes of the RFC 3261 §25.1 grammar, ASCII only. */
final class Chars {
  private Chars() {}

  static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean alphanum(char c) {
    return alpha(c) || digit(c);
  }

  static boolean hex(char c) {
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** {@code unreserved = alphanum / mark}. */
  static boolean unreserved(char c) {
    return alphanum(c) || "-_.!~*'()".indexOf(c) >= 0;
  }

  /** {@code user-unreserved}: what a user part may hold besides unreserved and escapes. */
  static boolean userUnreserved(char c) {
    return "&=+$,;?/".indexOf(c) >= 0;
  }

  /** {@code token} characters (header names, URI parameter names and values). */
  static boolean token(char c) {
    return alphanum(c) || "-.!%*_+`'~".indexOf(c) >= 0;
  }

  /** Whether {@code s} is a non-empty RFC 3261 {@code token}. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!token(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The byte that the {@code %HH} escape at {@code i} stands for, or -1 when {@code s} has no valid
   * escape there.
   */
  static int escaped(String s, int i) {
    if (i + 2 >= s.length()) {
      return -1;
    }
    char h = s.charAt(i + 1);
    char l = s.charAt(i + 2);
    if (s.charAt(i) != '%' || !hex(h) || !hex(l)) {
      return -1;
    }
    return Character.digit(h, 16) * 16 + Character.digit(l, 16);
  }

  /** Whether a decoded byte is a control character (C0 or DEL). */
  static boolean control(int b) {
    return b < 0x20 || b == 0x7f;
  }
}

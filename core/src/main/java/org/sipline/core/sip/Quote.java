package org.sipline.core.sip;

/**
 * Renders untrusted text for an error message: an error names the offending value, but the value
 * may hold CR/LF (log forging), terminal escapes or a megabyte of junk, so what is shown is escaped
 * and shortened.
 */
final class Quote {
  /** How much of a value an error message shows. */
  static final int SHOWN = 64;

  private Quote() {}

  /**
   * {@code 'text'} with controls and non-ASCII as backslash-u escapes, shortened to {@link #SHOWN}
   * characters.
   */
  static String single(String s) {
    return '\'' + escape(s, '\'') + '\'';
  }

  /** {@code "text"}, escaped like {@link #single}. */
  static String dbl(String s) {
    return '"' + escape(s, '"') + '"';
  }

  private static String escape(String s, char quote) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), SHOWN) + 8);
    int shown = Math.min(s.length(), SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\r' -> sb.append("\\r");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c == quote) {
            sb.append('\\').append(c);
          } else if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    if (s.length() > shown) {
      sb.append("…(").append(s.length()).append(" chars)");
    }
    return sb.toString();
  }

  /** {@code U+00E9} for the code point at {@code i}. */
  static String codePoint(String s, int i) {
    return String.format("U+%04X", s.codePointAt(i));
  }
}

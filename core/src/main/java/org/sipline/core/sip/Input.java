package org.sipline.core.sip;

import org.sipline.core.InvalidArgumentException;

/**
 * One untrusted address string being read, with the request field it came from, so that every check
 * can fail with a message that names the field and shows the value.
 *
 * @param field the request field, e.g. {@code callee_id}
 * @param text the cleaned value: bounded, ASCII without controls, surrounding spaces removed
 */
record Input(String field, String text) {
  /** Longest address accepted, in characters, before surrounding spaces are removed. */
  static final int MAX_LENGTH = 1024;

  /**
   * Checks what holds for every address form: present, at most {@link #MAX_LENGTH} characters,
   * printable ASCII only. Spaces around the value are dropped (they come from copy and paste).
   */
  static Input clean(String field, String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidArgumentException(field, "empty");
    }
    if (raw.length() > MAX_LENGTH) {
      throw new InvalidArgumentException(field, "length " + raw.length() + " > " + MAX_LENGTH);
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new InvalidArgumentException(field, "CR/LF not allowed");
      }
      if (c == 0) {
        throw new InvalidArgumentException(field, "NUL not allowed");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new InvalidArgumentException(
            field, "control character " + Quote.codePoint(raw, i) + " not allowed");
      }
      if (c > 0x7e) {
        // No IDN: a host name must be given in its ASCII (punycode) form.
        throw new InvalidArgumentException(
            field,
            "non-ASCII character "
                + Quote.codePoint(raw, i)
                + " not allowed in "
                + Quote.single(raw));
      }
    }
    String text = raw.strip();
    if (text.isEmpty()) {
      throw new InvalidArgumentException(field, "empty");
    }
    return new Input(field, text);
  }

  InvalidArgumentException fail(String reason) {
    return new InvalidArgumentException(field, reason);
  }

  /** A failure whose reason ends with {@code in '<the whole value>'}. */
  InvalidArgumentException failIn(String reason) {
    return new InvalidArgumentException(field, reason + " in " + Quote.single(text));
  }
}

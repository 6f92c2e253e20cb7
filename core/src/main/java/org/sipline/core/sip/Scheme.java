package org.sipline.core.sip;

import java.util.Locale;

/** The URI schemes an address may start with. */
enum Scheme {
  SIP,
  SIPS,
  TEL;

  /** "sip", "sips" or "tel", as written on the wire. */
  String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scheme {@code in} starts with, or null when it has none ({@code bob@host}, {@code
   * host:5060}). Any other scheme ({@code http:}, {@code mailto:}) is refused.
   */
  static Scheme of(Input in) {
    String t = in.text();
    int colon = t.indexOf(':');
    if (colon <= 0 || !schemeSyntax(t.substring(0, colon))) {
      return null;
    }
    String name = t.substring(0, colon).toLowerCase(Locale.ROOT);
    for (Scheme s : values()) {
      if (s.text().equals(name)) {
        return s;
      }
    }
    String rest = t.substring(colon + 1);
    if (!rest.isEmpty() && rest.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null; // host:port
    }
    throw in.fail(
        "unsupported URI scheme "
            + Quote.single(t.substring(0, colon))
            + " (use sip:, sips: or tel:)");
  }

  /** The part after {@code scheme:}. */
  String body(Input in) {
    return in.text().substring(text().length() + 1);
  }

  /** RFC 3986 {@code scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}. */
  private static boolean schemeSyntax(String s) {
    if (!Chars.alpha(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Chars.alphanum(c) && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }
}

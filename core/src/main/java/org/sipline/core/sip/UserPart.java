package org.sipline.core.sip;

/**
 * Checks a user part against the RFC 3261 {@code user} rule: unreserved characters, {@code & = + $
 * , ; ? /} and {@code %HH} escapes.
 *
 * <p>One rule, no rewriting: a character that would need escaping is refused with a message saying
 * how to escape it, never escaped silently — a silently changed user part calls someone else.
 * Escapes of control characters ({@code %00}–{@code %1F}, {@code %7F}) are refused too: a far end
 * that decodes them would get a CR/LF back.
 */
final class UserPart {
  private UserPart() {}

  static String check(Input in, String user) {
    if (user.isEmpty()) {
      throw in.failIn("user part missing");
    }
    for (int i = 0; i < user.length(); i++) {
      char c = user.charAt(i);
      if (Chars.unreserved(c) || Chars.userUnreserved(c)) {
        continue;
      }
      if (c == '%') {
        int b = Chars.escaped(user, i);
        if (b < 0) {
          throw in.fail("'%' not followed by two hex digits in user part " + Quote.single(user));
        }
        if (Chars.control(b)) {
          throw in.fail(
              "escaped control character "
                  + user.substring(i, i + 3)
                  + " not allowed in user part "
                  + Quote.single(user));
        }
        i += 2;
        continue;
      }
      if (c == ':') {
        throw in.fail(
            "':' in user part "
                + Quote.single(user)
                + " (a password in the address is not accepted)");
      }
      if (c == ' ') {
        throw in.fail("space not allowed in user part " + Quote.single(user));
      }
      throw in.fail(
          "character "
              + Quote.single(String.valueOf(c))
              + " not allowed in user part "
              + Quote.single(user)
              + String.format(" (escape it as %%%02X)", (int) c));
    }
    return user;
  }
}

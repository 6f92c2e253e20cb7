package org.sipline.core.sip;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the {@code uri-parameters} of a SIP URI ({@code ;name[=value]...}).
 *
 * <p>Narrower than RFC 3261's {@code paramchar}: names and values are tokens without {@code '`'}
 * (which a token allows and paramchar does not) and with {@code '%'} only as a {@code %HH} escape,
 * because everything a caller needs ({@code transport=tcp}, {@code user=phone}, {@code lr}, {@code
 * ttl=5}) is a token and the rest of paramchar ({@code [ ] / : & + $}) only makes room for
 * ambiguity. {@code maddr} takes a host (an IPv6 reference too), {@code ttl} a number 0..255, and a
 * name may appear once (case-insensitive).
 */
final class UriParams {
  private UriParams() {}

  /**
   * Checks {@code params}, throwing when one is malformed or repeated.
   *
   * @param params the parameters including their leading ';', or ""
   * @return {@code params} unchanged, once checked
   */
  static String check(Input in, String params) {
    if (params.isEmpty()) {
      return params;
    }
    Set<String> seen = new HashSet<>();
    // params starts with ';', so the first split element is the empty text before it.
    String[] items = params.substring(1).split(";", -1);
    for (String item : items) {
      if (item.isEmpty()) {
        throw in.failIn("empty URI parameter");
      }
      int eq = item.indexOf('=');
      String name = eq < 0 ? item : item.substring(0, eq);
      String value = eq < 0 ? null : item.substring(eq + 1);
      if (name.isEmpty()) {
        throw in.fail("URI parameter " + Quote.single(item) + " has no name");
      }
      tokenish(in, "URI parameter name", name);
      String key = name.toLowerCase(Locale.ROOT);
      if (!seen.add(key)) {
        throw in.fail("URI parameter " + Quote.single(name) + " given twice");
      }
      if (value == null) {
        continue;
      }
      if (value.isEmpty()) {
        throw in.fail("URI parameter " + Quote.single(name) + " has an empty value");
      }
      switch (key) {
        case "maddr" -> HostPort.host(in, value);
        case "ttl" -> ttl(in, value);
        default -> tokenish(in, "value of URI parameter " + Quote.single(name), value);
      }
    }
    return params;
  }

  private static void ttl(Input in, String value) {
    boolean digits = value.length() <= 3 && value.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || Integer.parseInt(value) > 255) {
      throw in.fail("ttl " + Quote.single(value) + " is not a number 0..255");
    }
  }

  /**
   * Token characters that are also paramchar (all but {@code '`'}), with '%' only as the start of a
   * %HH escape of a printable byte.
   */
  static void tokenish(Input in, String what, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int b = Chars.escaped(s, i);
        if (b < 0) {
          throw in.fail(what + " " + Quote.single(s) + ": '%' not followed by two hex digits");
        }
        if (Chars.control(b)) {
          throw in.fail(
              what
                  + " "
                  + Quote.single(s)
                  + ": escaped control character "
                  + s.substring(i, i + 3)
                  + " not allowed");
        }
        i += 2;
      } else if (!Chars.token(c) || c == '`') {
        throw in.fail(
            what
                + " "
                + Quote.single(s)
                + ": character "
                + Quote.single(String.valueOf(c))
                + " not allowed");
      }
    }
  }
}

package org.sipline.core.sip;

import java.util.Locale;

/**
 * A checked {@code hostport} (RFC 3261 §25.1): a DNS name, a dotted IPv4 address or a bracketed
 * IPv6 reference, and an optional port 1..65535.
 *
 * <p>Stricter than the grammar where the grammar invites trouble: IPv4 octets with leading zeros
 * are refused (some resolvers read them as octal), an IPv6 zone index is refused (it means nothing
 * to the far end), and DNS names obey the DNS lengths (label ≤ 63, name ≤ 253).
 *
 * @param host lower case; IPv6 references keep their brackets
 * @param port the port, or -1 when none was given
 */
record HostPort(String host, int port) {
  static final int MAX_HOST_NAME = 253;
  static final int MAX_LABEL = 63;

  /** Reads {@code host[:port]}; an empty string means the host is missing. */
  static HostPort parse(Input in, String s) {
    if (s.isEmpty()) {
      throw in.failIn("host missing");
    }
    String host;
    String portText;
    if (s.charAt(0) == '[') {
      int close = s.indexOf(']');
      if (close < 0) {
        throw in.failIn("IPv6 reference " + Quote.single(s) + " lacks ']'");
      }
      host = s.substring(0, close + 1);
      String rest = s.substring(close + 1);
      if (rest.isEmpty()) {
        portText = null;
      } else if (rest.charAt(0) == ':') {
        portText = rest.substring(1);
      } else {
        throw in.failIn(
            "unexpected " + Quote.single(rest) + " after IPv6 reference " + Quote.single(host));
      }
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
        throw in.fail("IPv6 address " + Quote.single(s) + " must be in brackets, e.g. [::1]:5060");
      }
      host = colon < 0 ? s : s.substring(0, colon);
      portText = colon < 0 ? null : s.substring(colon + 1);
    }
    String checkedHost = host(in, host);
    int port = portText == null ? -1 : port(in, portText);
    return new HostPort(checkedHost, port);
  }

  /** Checks a host alone and returns its canonical (lower-case) form. */
  static String host(Input in, String host) {
    if (host.isEmpty()) {
      throw in.failIn("host missing");
    }
    if (host.charAt(0) == '[') {
      if (host.charAt(host.length() - 1) != ']') {
        throw in.failIn("IPv6 reference " + Quote.single(host) + " lacks ']'");
      }
      Ipv6.check(in, host.substring(1, host.length() - 1));
      return host.toLowerCase(Locale.ROOT);
    }
    if (looksNumeric(host)) {
      ipv4(in, host);
      return host;
    }
    hostName(in, host);
    return host.toLowerCase(Locale.ROOT);
  }

  static int port(Input in, String text) {
    if (text.isEmpty()) {
      throw in.failIn("port missing after ':'");
    }
    for (int i = 0; i < text.length(); i++) {
      if (!Chars.digit(text.charAt(i))) {
        throw in.fail("port " + Quote.single(text) + " is not a number");
      }
    }
    // More than 5 digits is out of range whatever they say; this also keeps parseInt safe.
    int value = text.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(text);
    if (value < 1 || value > 65535) {
      String shown = text.length() > 12 ? Quote.single(text) : text;
      throw in.fail("port " + shown + " out of range 1..65535");
    }
    return value;
  }

  /** Only digits and dots: meant as an IPv4 address (a DNS top label must start with a letter). */
  private static boolean looksNumeric(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!Chars.digit(c) && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static void ipv4(Input in, String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      throw in.fail(
          "IPv4 address "
              + Quote.single(host)
              + " has "
              + parts.length
              + " parts, not 4 (a host name's last label must start with a letter)");
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3) {
        throw in.fail(
            "IPv4 address " + Quote.single(host) + " has a bad octet " + Quote.single(part));
      }
      if (part.length() > 1 && part.charAt(0) == '0') {
        throw in.fail(
            "IPv4 address "
                + Quote.single(host)
                + ": octet "
                + Quote.single(part)
                + " has a leading zero");
      }
      if (Integer.parseInt(part) > 255) {
        throw in.fail("IPv4 address " + Quote.single(host) + ": octet " + part + " > 255");
      }
    }
  }

  private static void hostName(Input in, String host) {
    // The grammar allows one trailing dot (a fully qualified name).
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.length() > MAX_HOST_NAME) {
      throw in.fail(
          "host name "
              + Quote.single(host)
              + " is "
              + name.length()
              + " characters long > "
              + MAX_HOST_NAME);
    }
    String[] labels = name.split("\\.", -1);
    for (int l = 0; l < labels.length; l++) {
      String label = labels[l];
      if (label.isEmpty()) {
        throw in.fail("host name " + Quote.single(host) + " has an empty label");
      }
      if (label.length() > MAX_LABEL) {
        throw in.fail(
            "host name "
                + Quote.single(host)
                + " has a label of "
                + label.length()
                + " characters > "
                + MAX_LABEL);
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!Chars.alphanum(c) && c != '-') {
          throw in.fail(
              "character "
                  + Quote.single(String.valueOf(c))
                  + " not allowed in host name "
                  + Quote.single(host));
        }
      }
      if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
        throw in.fail(
            "host name "
                + Quote.single(host)
                + ": label "
                + Quote.single(label)
                + " starts or ends with '-'");
      }
    }
    if (!Chars.alpha(labels[labels.length - 1].charAt(0))) {
      throw in.fail(
          "host name "
              + Quote.single(host)
              + ": last label "
              + Quote.single(labels[labels.length - 1])
              + " must start with a letter");
    }
  }

  /** {@code host[:port]} as it goes on the wire. */
  @Override
  public String toString() {
    return port >= 0 ? host + ":" + port : host;
  }
}

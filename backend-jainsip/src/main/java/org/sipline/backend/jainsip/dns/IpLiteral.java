package org.sipline.backend.jainsip.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Numeric host checks that never consult a name server: a host that passes is used as it is (RFC
 * 3263 §4.2, a numeric IP address needs no lookup); any other host is a name.
 */
public final class IpLiteral {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private IpLiteral() {}

  /**
   * Whether {@code host} is a numeric address (IPv6 bracketed or not), found without a lookup.
   *
   * @param host a URI's host
   * @return true for an IPv4 or IPv6 literal
   */
  public static boolean isNumeric(String host) {
    return parse(host) != null;
  }

  /**
   * The address {@code host} spells (IPv6 bracketed or not), or null when it is a name.
   *
   * @param host a URI's host
   * @return the address, or null for a name
   */
  public static InetAddress parse(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (IPV4.matcher(h).matches()) {
      for (String part : h.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return null;
        }
      }
    } else if (h.indexOf(':') < 0) {
      return null;
    }
    try {
      // Dotted-quad or with a ':': InetAddress parses these and never asks a name server.
      return InetAddress.getByName(h);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * The wire form of {@code address} without brackets or an IPv6 scope.
   *
   * @param address any address
   * @return its text, as a Via or a Hop takes it
   */
  public static String text(InetAddress address) {
    String text = address.getHostAddress();
    int scope = text.indexOf('%');
    return scope >= 0 ? text.substring(0, scope) : text;
  }
}

package org.sipline.backend.jainsip;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address written out as numbers (dotted IPv4, or IPv6 in RFC 4291 §2.2 text form), turned
 * into an {@link InetAddress} without asking DNS. Where a peer names an address that we would
 * otherwise resolve on the SIP thread, a host name is refused instead: a slow name would stall
 * every call's signalling, and any name would let a peer make us probe DNS for it.
 */
final class LiteralAddress {
  private LiteralAddress() {}

  /** {@code text} as an address; refused naming the text when it is not a literal. */
  static InetAddress parse(String text) {
    byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "'"
              + cut(text)
              + "' is not a literal IPv4 or IPv6 address (host names are not resolved)");
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes make an address: " + bytes.length, e);
    }
  }

  /** Four decimal octets 0..255, no leading zeros beyond a lone 0; else null. */
  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty()
          || p.length() > 3
          || (p.length() > 1 && p.charAt(0) == '0')
          || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      bytes[i] = (byte) v;
    }
    return bytes;
  }

  /** Eight 16-bit hex groups, one "::" for a run of zeros, an IPv4 tail allowed; else null. */
  private static byte[] ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String head = gap >= 0 ? text.substring(0, gap) : text;
    String tail = gap >= 0 ? text.substring(gap + 2) : "";
    byte[] front = groups(head);
    byte[] back = groups(tail);
    if (front == null || back == null) {
      return null;
    }
    int filled = front.length + back.length;
    if (gap >= 0 ? filled > 14 : filled != 16) {
      return null;
    }
    byte[] bytes = new byte[16];
    System.arraycopy(front, 0, bytes, 0, front.length);
    System.arraycopy(back, 0, bytes, 16 - back.length, back.length);
    return bytes;
  }

  /** The bytes of colon-separated hex groups (the last may be dotted IPv4); null if bad. */
  private static byte[] groups(String text) {
    if (text.isEmpty()) {
      return new byte[0];
    }
    String[] parts = text.split(":", -1);
    if (parts.length > 8) {
      return null;
    }
    byte[] bytes = new byte[16];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.indexOf('.') >= 0) {
        byte[] v4 = ipv4(p);
        if (v4 == null || n + 4 > 16) {
          return null;
        }
        System.arraycopy(v4, 0, bytes, n, 4);
        n += 4;
        continue;
      }
      if (p.isEmpty()
          || p.length() > 4
          || n + 2 > 16
          || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
        return null;
      }
      int v = Integer.parseInt(p, 16);
      bytes[n++] = (byte) (v >> 8);
      bytes[n++] = (byte) v;
    }
    return java.util.Arrays.copyOf(bytes, n);
  }

  /** Keeps a peer's garbage from flooding our logs and responses. */
  private static String cut(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}

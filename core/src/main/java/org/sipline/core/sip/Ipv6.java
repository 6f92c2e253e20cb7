package org.sipline.core.sip;

/**
 * Checks an RFC 4291 §2.2 text IPv6 address (the part between the brackets of an RFC 3261 {@code
 * IPv6reference}): eight groups of 1–4 hex digits, at most one {@code ::} standing for one or more
 * zero groups, and an optional dotted IPv4 address as the last 32 bits.
 */
final class Ipv6 {
  private Ipv6() {}

  static void check(Input in, String addr) {
    String shown = "IPv6 address " + Quote.single("[" + addr + "]");
    if (addr.isEmpty()) {
      throw in.fail(shown + " is empty");
    }
    if (addr.indexOf('%') >= 0) {
      throw in.fail(shown + ": a zone index ('%') is not allowed");
    }
    int gap = addr.indexOf("::");
    if (gap >= 0 && addr.indexOf("::", gap + 1) >= 0) {
      throw in.fail(shown + ": '::' may appear only once");
    }
    int groups;
    if (gap < 0) {
      groups = groups(in, shown, addr, true);
      if (groups != 8) {
        throw in.fail(shown + " has " + groups + " groups, not 8");
      }
    } else {
      String head = addr.substring(0, gap);
      String tail = addr.substring(gap + 2);
      groups = groups(in, shown, head, false) + groups(in, shown, tail, true);
      // '::' stands for at least one zero group.
      if (groups > 7) {
        throw in.fail(shown + " has too many groups for '::'");
      }
    }
  }

  /** Counts the 16-bit groups of a ':'-separated run; an IPv4 tail counts as two. */
  private static int groups(Input in, String shown, String run, boolean mayEndInIpv4) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] parts = run.split(":", -1);
    int count = 0;
    for (int p = 0; p < parts.length; p++) {
      String part = parts[p];
      boolean last = p == parts.length - 1;
      if (last && mayEndInIpv4 && part.indexOf('.') >= 0) {
        ipv4Tail(in, shown, part);
        count += 2;
        continue;
      }
      if (part.isEmpty() || part.length() > 4) {
        throw in.fail(shown + " has a bad group " + Quote.single(part));
      }
      for (int i = 0; i < part.length(); i++) {
        if (!Chars.hex(part.charAt(i))) {
          throw in.fail(shown + " has a bad group " + Quote.single(part));
        }
      }
      count++;
    }
    return count;
  }

  private static void ipv4Tail(Input in, String shown, String part) {
    String[] octets = part.split("\\.", -1);
    boolean ok = octets.length == 4;
    for (int i = 0; ok && i < 4; i++) {
      String o = octets[i];
      ok =
          !o.isEmpty()
              && o.length() <= 3
              && o.chars().allMatch(c -> c >= '0' && c <= '9')
              && (o.length() == 1 || o.charAt(0) != '0')
              && Integer.parseInt(o) <= 255;
    }
    if (!ok) {
      throw in.fail(shown + " has a bad IPv4 part " + Quote.single(part));
    }
  }
}

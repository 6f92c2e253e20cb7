package org.sipline.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;

/**
 * Whether a dialog record read back after a crash may be acted on. The journal is a file anyone
 * with access may have torn or edited, so a record earns a BYE only when every part of it is
 * well-formed, it is recent, and the request built from it can go nowhere but the far end the
 * record names: the first hop (first route, else the remote target) must be exactly that host and
 * port, with no {@code maddr} to divert it. A record that fails is reported and skipped.
 */
final class OrphanCheck {
  /**
   * The oldest record acted on. A far end without session timers keeps a ghost call for ever, but a
   * record this old is more likely stale (a journal copied from elsewhere, a clock reset) than a
   * call still up, and a BYE then reaches whoever holds that address today.
   */
  static final Duration MAX_AGE = Duration.ofHours(24);

  /** Clock skew tolerated for a record that claims to be from the future. */
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  static final int MAX_ROUTES = 16;
  private static final int MAX_ID = 256;
  private static final long MAX_CSEQ = (1L << 31) - 1;

  private OrphanCheck() {}

  /**
   * What is wrong with {@code d} journaled at {@code time}, judged at {@code now}; null if nothing.
   */
  static String problem(DialogRecord d, Instant time, Instant now) {
    if (time.isBefore(now.minus(MAX_AGE))) {
      return "stale: journaled " + time + ", more than " + MAX_AGE.toHours() + " h ago";
    }
    if (time.isAfter(now.plus(MAX_SKEW))) {
      return "journaled " + time + ", in the future";
    }
    String p = token("Call-ID", d.callId(), CALL_ID);
    if (p == null) {
      p = token("local tag", d.localTag(), TOKEN);
    }
    if (p == null) {
      p = token("remote tag", d.remoteTag(), TOKEN);
    }
    if (p != null) {
      return p;
    }
    if (d.nextCseq() < 1 || d.nextCseq() > MAX_CSEQ) {
      return "CSeq " + d.nextCseq() + " outside 1.." + MAX_CSEQ;
    }
    if (d.routeSet().size() > MAX_ROUTES) {
      return d.routeSet().size() + " routes, more than " + MAX_ROUTES;
    }
    SipUri target;
    SipUri firstHop;
    try {
      sipUri("local URI", d.localUri());
      sipUri("remote URI", d.remoteUri());
      target = sipUri("remote target", d.remoteTarget());
      firstHop = target;
      for (int i = 0; i < d.routeSet().size(); i++) {
        SipUri route = sipUri("route " + (i + 1), d.routeSet().get(i));
        if (i == 0) {
          firstHop = route;
        }
      }
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (d.farEndPort() < 1 || d.farEndPort() > 65535) {
      return "far-end port " + d.farEndPort() + " outside 1..65535";
    }
    int hopPort = firstHop.port() >= 0 ? firstHop.port() : defaultPort(firstHop, d.transport());
    if (!firstHop.host().equalsIgnoreCase(bracketed(d.farEndHost())) || hopPort != d.farEndPort()) {
      return "the BYE would go to "
          + firstHop.host()
          + ":"
          + hopPort
          + (d.routeSet().isEmpty() ? " (remote target)" : " (first route)")
          + ", not to the recorded far end "
          + d.farEnd();
    }
    return null;
  }

  /** RFC 3261's token characters besides letters and digits. */
  private static final String TOKEN = "-.!%*_+`'~";

  /** What a Call-ID may hold besides those (RFC 3261's word, less quotes, backslash, brackets). */
  private static final String CALL_ID = TOKEN + "()/:?[]{}@";

  private static String token(String what, String value, String allowed) {
    if (value.isEmpty()) {
      return "empty " + what;
    }
    if (value.length() > MAX_ID) {
      return what + " longer than " + MAX_ID + " characters";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || allowed.indexOf(c) >= 0;
      if (!ok) {
        return what + " has character 0x" + Integer.toHexString(c) + " at " + i;
      }
    }
    return null;
  }

  /** A sip: or sips: URI with a host, whose parameters do not divert where it is sent. */
  private static SipUri sipUri(String what, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
      throw new IllegalArgumentException(what + " is not a SIP URI");
    }
    SipUri uri;
    try {
      uri = SipAddresses.parseTarget(what, text, null);
    } catch (InvalidArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
    if (uri.params().toLowerCase(Locale.ROOT).contains(";maddr=")) {
      throw new IllegalArgumentException(what + " has maddr, which would send the BYE elsewhere");
    }
    return uri;
  }

  private static int defaultPort(SipUri uri, Transport transport) {
    return uri.scheme().equals("sips") || transport == Transport.TLS ? 5061 : 5060;
  }

  /** An IPv6 far-end host in the bracketed form URIs carry. */
  private static String bracketed(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}

package org.sipline.backend.jainsip;

import java.text.ParseException;
import java.util.Iterator;
import java.util.Locale;
import javax.sip.header.AllowHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RequireHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.message.Message;

/**
 * What one message's RFC 4028 headers say: the session interval of its {@code Session-Expires} and
 * who refreshes ({@code refresher=uac|uas}, or none named). The text is a peer's: a value that is
 * not a delta-seconds in range is read as no header at all, so a garbled Session-Expires cannot end
 * a call early.
 *
 * @param seconds the session interval
 * @param refresher {@code "uac"}, {@code "uas"}, or null when the message names none
 */
record SessionInterval(int seconds, String refresher) {
  static final String SESSION_EXPIRES = "Session-Expires";
  static final String MIN_SE = "Min-SE";
  static final String TIMER = "timer";
  static final String UAC = "uac";
  static final String UAS = "uas";

  /** 422 Session Interval Too Small (RFC 4028 §6), which JAIN-SIP has no constant for. */
  static final int TOO_SMALL = 422;

  /** A day: RFC 4028 sets no upper bound; longer than this is nobody's session timer. */
  static final int MAX_SECONDS = 86_400;

  /** The message's Session-Expires (or its compact form {@code x}), or null. */
  static SessionInterval of(Message m) {
    Header h = m.getHeader(SESSION_EXPIRES);
    if (h == null) {
      h = m.getHeader("x");
    }
    if (h == null) {
      return null;
    }
    String[] parts = valueOf(h).split(";");
    int seconds = deltaSeconds(parts[0]);
    if (seconds <= 0) {
      return null;
    }
    String refresher = null;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
      if (p.equals("refresher=" + UAC)) {
        refresher = UAC;
      } else if (p.equals("refresher=" + UAS)) {
        refresher = UAS;
      }
    }
    return new SessionInterval(seconds, refresher);
  }

  /** The message's Min-SE in seconds, or 0 without one (or with one we cannot read). */
  static int minSe(Message m) {
    Header h = m.getHeader(MIN_SE);
    if (h == null) {
      return 0;
    }
    return Math.max(0, deltaSeconds(valueOf(h).split(";")[0]));
  }

  /** Whether the message's Supported or Require names {@code timer}. */
  static boolean supportsTimer(Message m) {
    return names(m.getHeaders(SupportedHeader.NAME), TIMER)
        || names(m.getHeaders("k"), TIMER)
        || names(m.getHeaders(RequireHeader.NAME), TIMER);
  }

  /** Whether the message's Allow lists {@code method}. */
  static boolean allows(Message m, String method) {
    return names(m.getHeaders(AllowHeader.NAME), method);
  }

  /** {@code Session-Expires: seconds;refresher=...}. */
  Header header(HeaderFactory headers) {
    try {
      return headers.createHeader(
          SESSION_EXPIRES, refresher == null ? "" + seconds : seconds + ";refresher=" + refresher);
    } catch (ParseException e) {
      throw new IllegalStateException("Session-Expires " + this, e);
    }
  }

  static Header minSeHeader(HeaderFactory headers, int seconds) {
    try {
      return headers.createHeader(MIN_SE, Integer.toString(seconds));
    } catch (ParseException e) {
      throw new IllegalStateException("Min-SE " + seconds, e);
    }
  }

  static Header supportedTimer(HeaderFactory headers) {
    try {
      return headers.createSupportedHeader(TIMER);
    } catch (ParseException e) {
      throw new IllegalStateException("Supported: timer", e);
    }
  }

  static Header requireTimer(HeaderFactory headers) {
    try {
      return headers.createRequireHeader(TIMER);
    } catch (ParseException e) {
      throw new IllegalStateException("Require: timer", e);
    }
  }

  private static boolean names(Iterator<?> headers, String token) {
    while (headers.hasNext()) {
      for (String t : valueOf((Header) headers.next()).split(",")) {
        if (t.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** 1..{@link #MAX_SECONDS}, or -1 for anything else. */
  private static int deltaSeconds(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.length() > 10) {
      return -1;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return -1;
      }
    }
    long v = Long.parseLong(t);
    return v > MAX_SECONDS ? -1 : (int) v;
  }

  /** A header's value as on the wire, without "Name:" and the line end. */
  private static String valueOf(Header h) {
    String text = h.toString().trim();
    int colon = text.indexOf(':');
    return colon < 0 ? text : text.substring(colon + 1).trim();
  }
}

package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.sipline.core.spi.DtmfEvent;

/**
 * A DTMF digit in the body of a SIP INFO, the way phones and PBXes send them without RFC 4733 (no
 * RFC defines these; Cisco's {@code application/dtmf-relay} and the bare {@code application/dtmf}
 * are what the field uses):
 *
 * <pre>
 *   application/dtmf-relay:   Signal=5\r\nDuration=160\r\n     (Duration in ms, optional)
 *   application/dtmf:         5
 * </pre>
 *
 * <p>The body is untrusted: its size is bounded, every line checked, and a malformed one refused
 * with a message naming what was wrong (it becomes the 400's reason phrase, so it quotes the
 * offending text only through {@link #quote}). Keys are case-insensitive and blanks around {@code
 * =} are allowed; other keys are ignored. Digits A-D may come in lower case.
 *
 * @param digit one of {@link DtmfEvent#DIGITS}
 * @param durationMillis how long the digit was held; {@value #DEFAULT_DURATION_MILLIS} when the
 *     body does not say
 */
record DtmfInfoBody(char digit, int durationMillis) {
  static final String RELAY = "dtmf-relay";
  static final String DTMF = "dtmf";

  /** The duration of a digit whose body names none: what Asterisk assumes, too. */
  static final int DEFAULT_DURATION_MILLIS = 100;

  static final int MAX_DURATION_MILLIS = 60_000;
  static final int MAX_LENGTH = 1024;

  /** Whether {@code subtype} of {@code application/…} is one of ours (case-insensitive). */
  static boolean understands(String subtype) {
    String s = subtype.toLowerCase(Locale.ROOT);
    return s.equals(RELAY) || s.equals(DTMF);
  }

  /**
   * Reads the body of an INFO with Content-Type {@code application/<subtype>}.
   *
   * @throws IllegalArgumentException naming what is wrong, e.g. "Signal 'x' is not a DTMF digit"
   */
  static DtmfInfoBody parse(String subtype, byte[] body) {
    if (body.length > MAX_LENGTH) {
      throw new IllegalArgumentException("body of " + body.length + " bytes > " + MAX_LENGTH);
    }
    String text = new String(body, StandardCharsets.UTF_8);
    return subtype.equalsIgnoreCase(RELAY)
        ? relay(text)
        : new DtmfInfoBody(digit("body", text.strip()), DEFAULT_DURATION_MILLIS);
  }

  /** The body of an {@code application/dtmf-relay} INFO for this digit. */
  String relayBody() {
    return "Signal=" + digit + "\r\nDuration=" + durationMillis + "\r\n";
  }

  private static DtmfInfoBody relay(String text) {
    Character digit = null;
    Integer duration = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("line " + (i + 1) + " " + quote(line) + " has no '='");
      }
      String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(eq + 1).strip();
      switch (key) {
        case "signal" -> {
          if (digit != null) {
            throw new IllegalArgumentException("two Signal lines");
          }
          digit = digit("Signal", value);
        }
        case "duration" -> {
          if (duration != null) {
            throw new IllegalArgumentException("two Duration lines");
          }
          duration = duration(value);
        }
        default -> {
          // Other keys (some PBXes add their own) say nothing we need.
        }
      }
    }
    if (digit == null) {
      throw new IllegalArgumentException("no Signal line");
    }
    return new DtmfInfoBody(digit, duration == null ? DEFAULT_DURATION_MILLIS : duration);
  }

  private static char digit(String what, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    char c = value.length() == 1 ? Character.toUpperCase(value.charAt(0)) : 0;
    if (DtmfEvent.DIGITS.indexOf(c) < 0) {
      throw new IllegalArgumentException(
          what + " " + quote(value) + " is not a DTMF digit (one of " + DtmfEvent.DIGITS + ")");
    }
    return c;
  }

  private static int duration(String value) {
    if (value.isEmpty()
        || value.length() > 6
        || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("Duration " + quote(value) + " is not a number of ms");
    }
    int ms = Integer.parseInt(value);
    if (ms > MAX_DURATION_MILLIS) {
      throw new IllegalArgumentException(
          "Duration " + ms + " ms outside 0.." + MAX_DURATION_MILLIS + " ms");
    }
    return ms;
  }

  /**
   * {@code text} in quotes, fit for a reason phrase: printable ASCII only (anything else, CR and LF
   * above all, becomes '?'), cut after 20 characters.
   */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder("'");
    int n = Math.min(text.length(), 20);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return sb.append(text.length() > n ? "...'" : "'").toString();
  }
}

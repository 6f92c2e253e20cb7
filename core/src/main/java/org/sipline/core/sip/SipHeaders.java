package org.sipline.core.sip;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sipline.core.InvalidArgumentException;

/**
 * Checks the extra headers a request asks to put on an INVITE or REFER. They come from outside and
 * go into a SIP message, so a bad one is refused with an {@link InvalidArgumentException} naming it
 * ({@code headers["X Foo"]: name is not a token}), never passed on and never repaired.
 *
 * <ul>
 *   <li>At most {@value #MAX_COUNT} headers, names of at most {@value #MAX_NAME_LENGTH} and values
 *       of at most {@value #MAX_VALUE_LENGTH} characters, {@value #MAX_TOTAL_LENGTH} in all (names
 *       plus values), so the message still fits a UDP datagram.
 *   <li>A name is an RFC 3261 {@code token}, and no two names are equal ignoring case.
 *   <li>A name must not set what the SIP stack owns: {@value #PROTECTED_LIST}, in full or compact
 *       form (RFC 3261 §7.3.3: v, f, t, i, m, l, c), in any case.
 *   <li>A value holds no CR, LF, NUL or other control character except HTAB (C0, DEL, C1), no
 *       Unicode line or paragraph separator and no unpaired surrogate; surrounding spaces and tabs
 *       are trimmed. Other non-ASCII is allowed (sent as UTF-8, as RFC 3261's TEXT-UTF8).
 * </ul>
 */
public final class SipHeaders {
  /** The most extra headers a request may carry. */
  public static final int MAX_COUNT = 64;

  /** The longest header name accepted. */
  public static final int MAX_NAME_LENGTH = 128;

  /** The longest header value accepted. */
  public static final int MAX_VALUE_LENGTH = 1024;

  /** The most characters all extra headers may hold together. */
  public static final int MAX_TOTAL_LENGTH = 4096;

  static final String PROTECTED_LIST =
      "Via, From, To, Call-ID, CSeq, Contact, Max-Forwards,"
          + " Content-Length, Content-Type, Route, Record-Route, Authorization, Proxy-Authorization,"
          // Not in SPEC's list, but transfer_id is what a REFER's Refer-To says: a header must not
          // contradict it.
          + " Refer-To";

  /** Lower-case name or compact form → the header it is. */
  private static final Map<String, String> PROTECTED = protectedNames();

  private SipHeaders() {}

  private static Map<String, String> protectedNames() {
    Map<String, String> m = new HashMap<>();
    for (String name : PROTECTED_LIST.split(", ")) {
      m.put(name.toLowerCase(Locale.ROOT), name);
    }
    Map<String, String> compact =
        Map.of(
            "v",
            "Via",
            "f",
            "From",
            "t",
            "To",
            "i",
            "Call-ID",
            "m",
            "Contact",
            "l",
            "Content-Length",
            "c",
            "Content-Type",
            "r",
            "Refer-To");
    m.putAll(compact);
    return Map.copyOf(m);
  }

  /**
   * The header names that may not be set, in their full form.
   *
   * @return the names
   */
  public static Set<String> protectedHeaders() {
    return Set.copyOf(PROTECTED.values());
  }

  /**
   * Checks {@code headers} and returns them with trimmed values, in their order, unmodifiable. Null
   * means none.
   *
   * @param field the request field, e.g. {@code headers}; a header at fault is named as {@code
   *     field["name"]}
   * @param headers the headers as given, name to value
   * @return the checked headers
   */
  public static Map<String, String> checkExtraHeaders(String field, Map<String, String> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    if (headers.size() > MAX_COUNT) {
      throw new InvalidArgumentException(field, headers.size() + " headers > " + MAX_COUNT);
    }
    Map<String, String> checked = new LinkedHashMap<>();
    Map<String, String> seen = new HashMap<>();
    int total = 0;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String name = e.getKey();
      String at = field + "[" + (name == null ? "null" : Quote.dbl(name)) + "]";
      checkName(at, name);
      String earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      if (earlier != null) {
        throw new InvalidArgumentException(
            at, "same header as " + Quote.dbl(earlier) + " (names are case-insensitive)");
      }
      String value = checkValue(at, e.getValue());
      total += name.length() + value.length();
      if (total > MAX_TOTAL_LENGTH) {
        throw new InvalidArgumentException(
            field, "names and values exceed " + MAX_TOTAL_LENGTH + " characters in all");
      }
      checked.put(name, value);
    }
    return Collections.unmodifiableMap(checked);
  }

  private static void checkName(String at, String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidArgumentException(at, "name empty");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new InvalidArgumentException(
          at, "name length " + name.length() + " > " + MAX_NAME_LENGTH);
    }
    if (!Chars.isToken(name)) {
      throw new InvalidArgumentException(
          at, "name is not a token" + " (letters, digits and - . ! % * _ + ` ' ~ only)");
    }
    String owned = PROTECTED.get(name.toLowerCase(Locale.ROOT));
    if (owned != null) {
      throw new InvalidArgumentException(
          at, "would override " + owned + ", which the SIP stack sets itself");
    }
  }

  private static String checkValue(String at, String value) {
    if (value == null) {
      throw new InvalidArgumentException(at, "value missing (null)");
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      throw new InvalidArgumentException(
          at, "value length " + value.length() + " > " + MAX_VALUE_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new InvalidArgumentException(at, "CR/LF not allowed in value");
      }
      if (c == 0) {
        throw new InvalidArgumentException(at, "NUL not allowed in value");
      }
      if (c == '\t') {
        continue;
      }
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        throw new InvalidArgumentException(
            at, "control character " + Quote.codePoint(value, i) + " not allowed in value");
      }
      if (c == '\u2028' || c == '\u2029') {
        throw new InvalidArgumentException(
            at, "line separator " + Quote.codePoint(value, i) + " not allowed in value");
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
        if (!paired) {
          throw new InvalidArgumentException(
              at, String.format("unpaired surrogate U+%04X not allowed in value", (int) c));
        }
        i++;
      }
    }
    return trim(value);
  }

  /** Drops surrounding SP and HTAB (the LWS of RFC 3261), nothing else. */
  private static String trim(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
      end--;
    }
    return value.substring(start, end);
  }
}

package org.sipline.backend.jainsip;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * What RFC 3261 §8.2 has a UAS check before it looks at what a request asks for: the Request-URI's
 * scheme (§8.2.2.1, 416) and the extensions the request requires (§8.2.2.3, 420 with Unsupported).
 * The torture messages of RFC 4475 §3.3.2, §3.3.3 and §3.3.5 are their cases. (The version, §8.2's
 * first check, never gets here: the RI reads any version as SIP/2.0, so {@link GuardedParser}
 * refuses other versions on the raw start line.)
 */
final class RequestChecks {
  private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel");

  /** The option tags a request may require of us: RFC 4028's session timers. */
  private static final Set<String> SUPPORTED = Set.of(SessionInterval.TIMER);

  /**
   * A refusal: the status code, and for 420 the option tags we do not support.
   *
   * @param code the response code
   * @param unsupported option tags for the Unsupported header (420 only)
   */
  record Refusal(int code, List<String> unsupported) {}

  private RequestChecks() {}

  /** Why {@code request} must be refused before dispatch, or null when it may go on. */
  static Refusal check(Request request) {
    String method = request.getMethod();
    if (method.equals(Request.ACK)) {
      return null;
    }
    String scheme = request.getRequestURI().getScheme().toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)) {
      return new Refusal(Response.UNSUPPORTED_URI_SCHEME, List.of());
    }
    if (method.equals(Request.CANCEL)) {
      return null;
    }
    List<String> unsupported = new ArrayList<>();
    Iterator<?> required = request.getHeaders(RequireHeader.NAME);
    while (required.hasNext()) {
      // Of the SIP extensions a request could require (RFC 3262, 4028, 3891, ...), we implement
      // session timers only.
      String tag = ((RequireHeader) required.next()).getOptionTag();
      if (!SUPPORTED.contains(tag.toLowerCase(Locale.ROOT))) {
        unsupported.add(tag);
      }
    }
    return unsupported.isEmpty() ? null : new Refusal(Response.BAD_EXTENSION, unsupported);
  }
}

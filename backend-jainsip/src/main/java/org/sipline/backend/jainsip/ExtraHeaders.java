package org.sipline.backend.jainsip;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sip.header.Header;

/**
 * The extra headers of a call or transfer request as JAIN-SIP headers. The core has checked
 * names and values already; JAIN-SIP's parser is the second check, and its refusal names the
 * header.
 */
final class ExtraHeaders {
  private ExtraHeaders() {}

  static List<Header> parse(SipContext ctx, Map<String, String> headers) {
    List<Header> result = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> e : headers.entrySet()) {
      try {
        result.add(ctx.headers().createHeader(e.getKey(), e.getValue()));
      } catch (ParseException ex) {
        throw new IllegalArgumentException("headers[" + e.getKey() + "]: not a valid SIP header"
            + " value: " + ex.getMessage(), ex);
      }
    }
    return List.copyOf(result);
  }

  /** Copies of {@code headers}: a header object belongs to one message. */
  static void addTo(javax.sip.message.Message message, List<Header> headers) {
    for (Header h : headers) {
      message.addHeader((Header) h.clone());
    }
  }
}

package org.sipline.backend.jainsip;

import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sip.header.Header;

/**
 * The extra headers of a call or transfer request as JAIN-SIP headers. The core has checked names
 * and values already; JAIN-SIP's parser is the second check, and its refusal names the header. A
 * header that passes goes out exactly as written.
 */
final class ExtraHeaders {
  private ExtraHeaders() {}

  static List<Header> parse(SipContext ctx, Map<String, String> headers) {
    List<Header> result = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String refusal =
          "headers[\""
              + e.getKey()
              + "\"]: not a valid "
              + e.getKey()
              + " value"
              + " for JAIN-SIP's grammar of that header";
      try {
        Header typed = ctx.headers().createHeader(e.getKey(), e.getValue());
        // Some headers build without their required parts (an empty Call-Info has no URI) and
        // break only when the message is encoded, deep in the transaction: encode now.
        String unused = typed.toString();
      } catch (ParseException | RuntimeException ex) {
        // The RI's message is its internals (a char[]'s toString, a NullPointerException): the
        // header and the value's grammar are what the caller can act on.
        throw new IllegalArgumentException(refusal, ex);
      }
      // The typed header was the grammar check; what goes out is the value as the caller wrote
      // it. JAIN-SIP re-encodes typed headers in its own form (an address header's ":" becomes
      // "<:>"), and a header the caller set must reach the far end byte for byte.
      ExtensionHeaderImpl verbatim = new ExtensionHeaderImpl(e.getKey());
      verbatim.setValue(e.getValue());
      result.add(verbatim);
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

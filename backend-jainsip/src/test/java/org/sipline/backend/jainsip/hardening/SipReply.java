package org.sipline.backend.jainsip.hardening;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * A message the stack sent back, read with JAIN-SIP's own parser: its status code and the Call-ID
 * it answers, or, when it does not parse as a response, why ({@code problem}; code -1).
 */
record SipReply(int code, String callId, String problem, String raw) {
  static SipReply parse(byte[] bytes) {
    String raw = new String(bytes, StandardCharsets.ISO_8859_1);
    SIPMessage message;
    try {
      message = new StringMsgParser().parseSIPMessage(bytes.clone(), true, false, null);
    } catch (ParseException e) {
      return new SipReply(-1, null, "does not parse: " + e.getMessage(), raw);
    }
    if (!(message instanceof SIPResponse response)) {
      return new SipReply(-1, null, "not a response", raw);
    }
    return new SipReply(
        response.getStatusCode(),
        response.getCallId() == null ? null : response.getCallId().getCallId(),
        null,
        raw);
  }

  boolean isFinal() {
    return code >= 200;
  }

  boolean parsed() {
    return problem == null;
  }

  @Override
  public String toString() {
    return parsed() ? Integer.toString(code) : "unparseable";
  }
}

package org.sipline.backend.jainsip;

import gov.nist.javax.sip.ResponseEventExt;
import javax.sip.ResponseEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** Log text in the words of SIP: "INVITE sip:bob@example.org Call-ID abc: 486 Busy Here". */
final class SipLog {
  private SipLog() {}

  /** "METHOD request-uri Call-ID id". */
  static String request(Request r) {
    return r.getMethod() + " " + r.getRequestURI() + " Call-ID " + callId(r);
  }

  /** "code reason". */
  static String status(Response r) {
    return r.getStatusCode() + " " + r.getReasonPhrase();
  }

  /** "ip:port" a response came from, or "?" when the stack does not say. */
  static String sender(ResponseEvent event) {
    return event instanceof ResponseEventExt e
        ? e.getRemoteIpAddress() + ":" + e.getRemotePort()
        : "?";
  }

  private static String callId(javax.sip.message.Message m) {
    CallIdHeader h = (CallIdHeader) m.getHeader(CallIdHeader.NAME);
    return h == null ? "?" : h.getCallId();
  }
}

package org.sipline.backend.jainsip;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipUri;

/** Facts read from received requests. */
final class Requests {
  /** Never handed on: they carry credentials. */
  private static final Set<String> PRIVATE = Set.of("authorization", "proxy-authorization");

  /** Bounds on what an INVITE's headers may add to a status. */
  private static final int MAX_HEADERS = 64;

  private static final int MAX_VALUE = 1024;

  private Requests() {}

  static String callId(Message m) {
    return ((CallIdHeader) m.getHeader(CallIdHeader.NAME)).getCallId();
  }

  static String fromTag(javax.sip.message.Message m) {
    FromHeader from = (FromHeader) m.getHeader(FromHeader.NAME);
    return from == null ? null : from.getTag();
  }

  static String toTag(Request r) {
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    return to == null ? null : to.getTag();
  }

  /**
   * The address that sent {@code r}: the packet's source, else the top Via's received or host when
   * that is a literal address, else null. A host name in the Via is the peer's word and would cost
   * a DNS lookup on the SIP thread.
   */
  static String sourceHost(Request r) {
    InetAddress source = r instanceof SIPMessage m ? m.getRemoteAddress() : null;
    if (source != null) {
      return source.getHostAddress();
    }
    ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
    String host = via.getReceived() != null ? via.getReceived() : via.getHost();
    try {
      return LiteralAddress.parse(
              host.startsWith("[") && host.endsWith("]")
                  ? host.substring(1, host.length() - 1)
                  : host)
          .getHostAddress();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Who calls and what the INVITE said about itself, for {@code incomingCall}.
   *
   * @throws InvalidArgumentException when the From URI is not an address sipline accepts
   */
  static IncomingCall incomingCall(Request invite, SipUri account) {
    FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
    String display = from.getAddress().getDisplayName();
    return new IncomingCall(sipUri(from.getAddress().getURI(), account), display, headers(invite));
  }

  /**
   * A From URI as the core's SipUri, read by the core's rules (the pjsip backend reads its From the
   * same way): a tel: URI becomes its number at the account's domain with {@code ;user=phone} (RFC
   * 3261 §19.1.6), so the caller still has a SIP name.
   *
   * @throws InvalidArgumentException when the URI is not an address sipline accepts
   */
  static SipUri sipUri(URI uri, SipUri account) {
    return SipAddresses.parseTarget("From", uri.toString(), account);
  }

  /** The request's headers, name → value, repeated ones joined with ", ", credentials left out. */
  static Map<String, String> headers(Request r) {
    Map<String, String> result = new LinkedHashMap<>();
    ListIterator<?> names = r.getHeaderNames();
    while (names.hasNext() && result.size() < MAX_HEADERS) {
      String name = (String) names.next();
      if (PRIVATE.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      StringBuilder value = new StringBuilder();
      ListIterator<?> values = r.getHeaders(name);
      while (values.hasNext()) {
        if (value.length() > 0) {
          value.append(", ");
        }
        value.append(valueOf((Header) values.next()));
      }
      String v = value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value.toString();
      result.merge(name, v, (a, b) -> a + ", " + b);
    }
    return result;
  }

  /** A header's value as on the wire, without "Name:" and the line end. */
  private static String valueOf(Header h) {
    String text = h.toString().trim();
    int colon = text.indexOf(':');
    return colon < 0 ? text : text.substring(colon + 1).trim();
  }
}

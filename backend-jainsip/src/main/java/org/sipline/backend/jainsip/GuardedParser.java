package org.sipline.backend.jainsip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;

/**
 * JAIN-SIP's parser with faults of the RI's receive path closed, each found by the hardening tests
 * (torture messages, mutation fuzz):
 *
 * <ul>
 *   <li>The RI answers an unparseable request with an automatic 400 whose reason phrase is the
 *       ParseException's message, line breaks and a {@code char[]}'s toString included, so the 400
 *       itself does not parse. Messages are cut to one line of printable ASCII here.
 *   <li>A request without CSeq, Call-ID, From, To or Via parses, and the UDP channel then
 *       dereferences the missing header: a NullPointerException that the RI logs with the whole 64
 *       KiB receive buffer as a decimal array, per datagram. Such a message is refused here.
 *   <li>The RI's parser reads any version in the start line as SIP/2.0 (RFC 4475 §3.1.2.16's
 *       SIP/7.0 request was answered 200). A start line of another version is refused here (400
 *       over UDP; RFC 3261's 505 needs a parsed request, which this one cannot become).
 *   <li>The RI keeps one of several Call-ID, CSeq, From, To, Max-Forwards, Content-Length or
 *       Content-Type headers and ignores the rest, so conflicting framing or identity passes as
 *       valid (RFC 4475 §3.3.8, §3.3.9 ask for an error). Such a message is refused here, which the
 *       RI answers 400 over UDP and by closing the connection over TCP.
 *   <li>The RI's URI parser reads {@code sip:2001:db8::10} as host 2001 with a port, and the
 *       request is served; RFC 5118 §4.2 wants it refused, as the IPv6 reference lacks its
 *       brackets. A Request-URI like that is refused here (400 over UDP).
 *   <li>The RI sends a request's responses to its top Via's maddr when there is one (RFC 3261
 *       §18.2.2), resolving a host name there on the SIP thread: any stranger could make us look up
 *       a name of its choice and send our answer to whoever it names. A request whose top Via has
 *       an maddr that is not a literal IP address is refused here; the RI's 400 for it goes to the
 *       packet's source.
 *   <li>The TCP channel's parse-error handler can race with the connection's close and throw a
 *       NullPointerException that kills the connection's thread. A RuntimeException of the
 *       channel's handler becomes the ParseException here, so the connection is dropped as for any
 *       other parse error.
 * </ul>
 */
final class GuardedParser implements MessageParser {
  private static final int MAX_REASON = 80;

  /** Headers a message carries once, by lower-case full and compact name. */
  private static final java.util.Map<String, String> SINGLE =
      java.util.Map.ofEntries(
          java.util.Map.entry("call-id", "Call-ID"),
          java.util.Map.entry("i", "Call-ID"),
          java.util.Map.entry("cseq", "CSeq"),
          java.util.Map.entry("from", "From"),
          java.util.Map.entry("f", "From"),
          java.util.Map.entry("to", "To"),
          java.util.Map.entry("t", "To"),
          java.util.Map.entry("max-forwards", "Max-Forwards"),
          java.util.Map.entry("content-length", "Content-Length"),
          java.util.Map.entry("l", "Content-Length"),
          java.util.Map.entry("content-type", "Content-Type"),
          java.util.Map.entry("c", "Content-Type"));

  private final StringMsgParser parser = new StringMsgParser();

  @Override
  public SIPMessage parseSIPMessage(
      byte[] msgBytes, boolean readBody, boolean strict, ParseExceptionListener handler)
      throws ParseException {
    ParseExceptionListener guarded =
        handler == null
            ? null
            : (ex, message, headerClass, header, text) -> {
              try {
                handler.handleException(ex, message, headerClass, header, text);
              } catch (RuntimeException e) {
                throw oneLine(ex);
              }
            };
    String version = otherVersion(msgBytes);
    if (version != null) {
      throw new ParseException("version " + version + " not supported (SIP/2.0 only)", 0);
    }
    String ipv6 = unbracketedIpv6Host(msgBytes);
    if (ipv6 != null) {
      throw new ParseException("Request-URI host " + ipv6 + " is IPv6 without brackets", 0);
    }
    String repeated = repeatedSingleHeader(msgBytes);
    if (repeated != null) {
      throw new ParseException("several " + repeated + " headers", 0);
    }
    SIPMessage message;
    try {
      message = parser.parseSIPMessage(msgBytes, readBody, strict, guarded);
    } catch (ParseException e) {
      throw oneLine(e);
    }
    if (message != null) {
      String missing = missingMandatoryHeader(message);
      if (missing != null) {
        throw new ParseException("missing " + missing, 0);
      }
      String maddr = message instanceof SIPRequest ? message.getTopmostVia().getMAddr() : null;
      if (maddr != null) {
        try {
          LiteralAddress.parse(
              maddr.startsWith("[") && maddr.endsWith("]")
                  ? maddr.substring(1, maddr.length() - 1)
                  : maddr);
        } catch (IllegalArgumentException e) {
          throw oneLine(new ParseException("Via maddr " + e.getMessage(), 0));
        }
      }
    }
    return message;
  }

  /**
   * The start line's SIP version when it is not SIP/2.0 (case-insensitive), else null: the last
   * token of a request line, the first of a status line.
   */
  static String otherVersion(byte[] bytes) {
    String line = startLine(bytes);
    if (line.isEmpty()) {
      return null;
    }
    String version;
    if (line.regionMatches(true, 0, "SIP/", 0, 4)) {
      int space = line.indexOf(' ');
      version = space < 0 ? line : line.substring(0, space);
    } else {
      version = line.substring(line.lastIndexOf(' ') + 1);
    }
    if (version.equalsIgnoreCase("SIP/2.0")) {
      return null;
    }
    return version.length() > 20 ? version.substring(0, 20) + "..." : version;
  }

  /** The start line, stripped; RFC 3261 §7.5: CRLFs before it are ignored. */
  private static String startLine(byte[] bytes) {
    int start = 0;
    while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) {
      start++;
    }
    int end = start;
    while (end < bytes.length && bytes[end] != '\r' && bytes[end] != '\n') {
      end++;
    }
    return new String(bytes, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1)
        .strip();
  }

  /**
   * The host of a request's SIP or SIPS Request-URI when it is an IPv6 address without the brackets
   * RFC 3261 §25.1 (IPv6reference) requires, else null. Read on the raw line: the RI's URI parser
   * takes {@code sip:2001:db8::10} for a host and a port.
   */
  static String unbracketedIpv6Host(byte[] bytes) {
    String line = startLine(bytes);
    String[] parts = line.split(" ");
    if (parts.length != 3 || line.regionMatches(true, 0, "SIP/", 0, 4)) {
      return null;
    }
    String uri = parts[1];
    int colon = uri.indexOf(':');
    String scheme = colon < 0 ? "" : uri.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      return null;
    }
    String rest = uri.substring(colon + 1);
    int end = rest.length();
    for (char c : new char[] {';', '?'}) {
      int at = rest.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String hostport = rest.substring(0, end);
    hostport = hostport.substring(hostport.lastIndexOf('@') + 1);
    if (hostport.startsWith("[") || hostport.indexOf(':') == hostport.lastIndexOf(':')) {
      return null;
    }
    return hostport.length() > 60 ? hostport.substring(0, 60) + "..." : hostport;
  }

  /**
   * The first header of {@link #SINGLE} that the header block holds more than once, or null. Reads
   * raw bytes: the RI's parsed message has already dropped the repeats.
   */
  static String repeatedSingleHeader(byte[] bytes) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    int lineStart = 0;
    for (int i = 0; i <= bytes.length; i++) {
      boolean end = i == bytes.length || bytes[i] == '\n';
      if (!end) {
        continue;
      }
      int lineEnd = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
      if (lineEnd == lineStart) {
        return null;
      }
      int first = lineStart;
      lineStart = i + 1;
      if (first == 0 || bytes[first] == ' ' || bytes[first] == '\t') {
        continue;
      }
      int colon = first;
      while (colon < lineEnd && bytes[colon] != ':') {
        colon++;
      }
      if (colon == lineEnd) {
        continue;
      }
      String name =
          new String(bytes, first, colon - first, java.nio.charset.StandardCharsets.ISO_8859_1)
              .strip()
              .toLowerCase(java.util.Locale.ROOT);
      String single = SINGLE.get(name);
      if (single != null && !seen.add(single)) {
        return single;
      }
    }
    return null;
  }

  /** RFC 3261 §8.1.1: what every request and response carries; null when all are there. */
  private static String missingMandatoryHeader(SIPMessage m) {
    if (m.getCSeq() == null) {
      return "CSeq";
    }
    if (m.getCallId() == null) {
      return "Call-ID";
    }
    if (m.getFrom() == null) {
      return "From";
    }
    if (m.getTo() == null) {
      return "To";
    }
    if (m.getViaHeaders() == null || m.getViaHeaders().isEmpty()) {
      return "Via";
    }
    return null;
  }

  /** The same exception, its message one line of printable ASCII fit for a reason phrase. */
  static ParseException oneLine(ParseException e) {
    String text = String.valueOf(e.getMessage()).replaceAll("\\[C@[0-9a-f]+", "");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && b.length() < MAX_REASON; i++) {
      char c = text.charAt(i);
      boolean printable = c >= 0x20 && c < 0x7f;
      if (!printable || c == ' ') {
        if (b.length() > 0 && b.charAt(b.length() - 1) != ' ') {
          b.append(' ');
        }
      } else {
        b.append(c);
      }
    }
    String clean = b.toString().strip();
    ParseException out =
        new ParseException(clean.isEmpty() ? "unparseable" : clean, e.getErrorOffset());
    out.initCause(e);
    return out;
  }
}

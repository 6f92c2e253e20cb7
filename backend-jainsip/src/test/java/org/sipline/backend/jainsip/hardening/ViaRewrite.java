package org.sipline.backend.jainsip.hardening;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points a request's topmost Via at the test's own socket. The torture messages name hosts out on
 * the Internet (192.0.2.x, example.com) or none at all as where responses go; RFC 3261 §18.2.2
 * would have the stack send there (or to port 5060 of the source address), which is neither allowed
 * from this machine nor observable. Only the transport and the sent-by of the first Via value
 * change, and its branch gets a suffix unique to the send; its folding, white space and other
 * parameters, and every other byte, stay as the RFC wrote them.
 *
 * <p>The unique branch keeps the messages apart: many RFC 4475 messages share {@code
 * branch=z9hG4bKkdjuw}, and the RI keys server transactions by branch alone, so without it a later
 * message would be taken for a retransmission of an earlier one and never reach the parser's
 * consumer. (RFC 3261 §17.2.3 also matches on sent-by, which differs; that the RI does not is its
 * limitation, reported separately.)
 */
final class ViaRewrite {
  private static final Pattern VIA_LINE = Pattern.compile("(?im)^(?:via|v)[ \t]*:");

  /** sent-protocol LWS sent-by, LWS being any white space including a fold (CRLF + WSP). */
  private static final Pattern SENT_BY =
      Pattern.compile("(SIP\\s*/\\s*[0-9.]+\\s*/\\s*)([A-Za-z0-9.!%*_+`'~-]+)(\\s+)([^;,\\s]+)");

  /** An RFC 3261 branch: the magic cookie and at least one more character. */
  private static final Pattern BRANCH =
      Pattern.compile("(?i)(;\\s*branch\\s*=\\s*)(z9hG4bK[^;,\\s]+)");

  /** received and maddr: where RFC 3261 §18.2.2 has a response to a datagram sent. */
  private static final Pattern WHERE_TO_ANSWER =
      Pattern.compile("(?i)(;\\s*(?:received|maddr)\\s*=\\s*)(\\[[^\\]]*\\]|[^;,\\s]+)");

  private ViaRewrite() {}

  /**
   * {@code message} with its topmost Via's transport and sent-by replaced; over UDP also any
   * received or maddr parameter of it pointed at {@code host}, since the stack would send the
   * response there (RFC 5118 §4.5 carries IPv6 documentation addresses in received; over TCP the
   * response takes the connection, so those stay as written). A response comes back unchanged; a
   * request without a Via that reads as one gives null, as nobody can say where the stack would
   * answer it.
   */
  static byte[] pointAt(
      byte[] message, String transport, String host, int port, String branchSuffix) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    int headersEnd = text.indexOf("\r\n\r\n");
    String head = headersEnd < 0 ? text : text.substring(0, headersEnd);
    if (head.startsWith("SIP/")) {
      return message;
    }
    Matcher line = VIA_LINE.matcher(head);
    if (!line.find()) {
      return null;
    }
    int valueStart = line.end();
    int valueEnd = endOfHeader(head, valueStart);
    Matcher sentBy = SENT_BY.matcher(head.substring(valueStart, valueEnd));
    if (!sentBy.find()) {
      return null;
    }
    // The rest of the first Via value: up to a comma (the next value) or the header's end.
    int paramsStart = valueStart + sentBy.end(4);
    int comma = head.indexOf(',', paramsStart);
    int paramsEnd = comma >= 0 && comma < valueEnd ? comma : valueEnd;
    String params = text.substring(paramsStart, paramsEnd);
    Matcher branch = BRANCH.matcher(params);
    if (branch.find()) {
      params = params.substring(0, branch.end(2)) + branchSuffix + params.substring(branch.end(2));
    }
    if (transport.equals("UDP")) {
      params = WHERE_TO_ANSWER.matcher(params).replaceAll("$1" + host);
    }
    String rewritten =
        text.substring(0, valueStart + sentBy.start(2))
            + transport
            + sentBy.group(3)
            + host
            + ":"
            + port
            + params
            + text.substring(paramsEnd);
    return rewritten.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Where the header starting at {@code from} ends: at a CRLF not followed by SP or HTAB. */
  private static int endOfHeader(String head, int from) {
    int at = from;
    while (true) {
      int crlf = head.indexOf("\r\n", at);
      if (crlf < 0) {
        return head.length();
      }
      if (crlf + 2 < head.length()
          && (head.charAt(crlf + 2) == ' ' || head.charAt(crlf + 2) == '\t')) {
        at = crlf + 2;
        continue;
      }
      return crlf;
    }
  }
}

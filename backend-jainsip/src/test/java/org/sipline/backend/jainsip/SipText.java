package org.sipline.backend.jainsip;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP message as text, parsed just enough for tests to look at what the backend sent: the start
 * line, the headers in order (compact names expanded), the body.
 */
record SipText(
    String startLine,
    List<Map.Entry<String, String>> headers,
    String body,
    InetSocketAddress source) {
  private static final Map<String, String> COMPACT =
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
          "k",
          "Supported",
          "r",
          "Refer-To",
          "b",
          "Referred-By");

  static SipText parse(byte[] data, int length, InetSocketAddress source) {
    String text = new String(data, 0, length, StandardCharsets.UTF_8);
    int split = text.indexOf("\r\n\r\n");
    if (split < 0) {
      throw new IllegalArgumentException("no end of headers in: " + text);
    }
    String[] lines = text.substring(0, split).split("\r\n");
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).trim();
      name = COMPACT.getOrDefault(name.toLowerCase(Locale.ROOT), name);
      headers.add(Map.entry(name, lines[i].substring(colon + 1).trim()));
    }
    return new SipText(lines[0], headers, text.substring(split + 4), source);
  }

  boolean isRequest() {
    return !startLine.startsWith("SIP/2.0");
  }

  String method() {
    return startLine.substring(0, startLine.indexOf(' '));
  }

  String requestUri() {
    return startLine.split(" ")[1];
  }

  int statusCode() {
    return Integer.parseInt(startLine.split(" ")[1]);
  }

  /** The first value of header {@code name} (case-insensitive), or null. */
  String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  List<String> headers(String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        values.add(h.getValue());
      }
    }
    return values;
  }

  String callId() {
    return header("Call-ID");
  }

  long cseq() {
    return Long.parseLong(header("CSeq").split("\\s+")[0]);
  }

  String cseqMethod() {
    return header("CSeq").split("\\s+")[1];
  }

  /** Parameter {@code name} of a header like {@code Digest a="b", c=d} or {@code <uri>;tag=x}. */
  static String param(String headerValue, String name) {
    Matcher m =
        Pattern.compile(
                "(?:^|[,;\\s])" + Pattern.quote(name) + "\\s*=\\s*(\"([^\"]*)\"|[^,;\\s]+)",
                Pattern.CASE_INSENSITIVE)
            .matcher(headerValue);
    if (!m.find()) {
      return null;
    }
    return m.group(2) != null ? m.group(2) : m.group(1);
  }

  /** The tag parameter of the header {@code name} (From or To). */
  String tag(String name) {
    return param(header(name), "tag");
  }

  @Override
  public String toString() {
    return startLine + " (Call-ID " + callId() + ", CSeq " + header("CSeq") + ")";
  }
}

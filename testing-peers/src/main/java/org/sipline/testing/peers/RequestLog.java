package org.sipline.testing.peers;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@link KamailioConfig#REQUEST_MARKER} lines out of Kamailio's log. Each is {@code
 * SIPLINE-REQ|method|fromUser|toUser|Expires|Call-ID|R-URI|source|transport|Contact}, with xlog's
 * {@code <null>} for absent values; Contact comes last because it is the only field that may itself
 * contain '|'.
 */
final class RequestLog {
  private static final int FIELDS = 9;
  private static final String NULL = "<null>";

  private RequestLog() {}

  static List<ReceivedRequest> parse(List<String> logLines) {
    List<ReceivedRequest> requests = new ArrayList<>();
    for (String line : logLines) {
      int at = line.indexOf(KamailioConfig.REQUEST_MARKER);
      if (at >= 0) {
        requests.add(parseEntry(line.substring(at + KamailioConfig.REQUEST_MARKER.length())));
      }
    }
    return requests;
  }

  static ReceivedRequest parseEntry(String entry) {
    String[] f = entry.split("\\|", FIELDS);
    if (f.length != FIELDS) {
      throw new PeerException(
          "kamailio request log entry has "
              + f.length
              + " fields, expected "
              + FIELDS
              + ": "
              + entry);
    }
    if (value(f[0]) == null) {
      throw new PeerException("kamailio request log entry has no method: " + entry);
    }
    return new ReceivedRequest(
        value(f[0]),
        value(f[1]),
        value(f[2]),
        value(f[3]),
        value(f[4]),
        value(f[5]),
        value(f[6]),
        value(f[7]),
        value(f[8]));
  }

  private static String value(String field) {
    return field.isEmpty() || field.equals(NULL) ? null : field;
  }
}

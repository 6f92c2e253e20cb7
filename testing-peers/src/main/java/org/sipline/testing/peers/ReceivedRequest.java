package org.sipline.testing.peers;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request Kamailio received, as its script logged it on arrival (retransmissions included).
 * Absent values are null.
 *
 * @param method the request method, e.g. "REGISTER"
 * @param fromUser the user part of From
 * @param toUser the user part of To
 * @param expiresHeader the Expires header's value as sent
 * @param callId the Call-ID
 * @param requestUri the Request-URI
 * @param source the sender's {@code ip:port}
 * @param transport "udp" or "tcp"
 * @param contact the first Contact header's value as sent
 */
public record ReceivedRequest(
    String method,
    String fromUser,
    String toUser,
    String expiresHeader,
    String callId,
    String requestUri,
    String source,
    String transport,
    String contact) {
  private static final Pattern CONTACT_EXPIRES =
      Pattern.compile(";\\s*expires\\s*=\\s*(\\d{1,10})", Pattern.CASE_INSENSITIVE);

  public ReceivedRequest {
    Objects.requireNonNull(method, "method");
  }

  /**
   * The expiry the request asks for: the Contact's {@code expires} parameter, which takes
   * precedence (RFC 3261 §10.2.1.1), else the Expires header; empty when neither is present or a
   * value is not a number.
   */
  public OptionalInt expires() {
    if (contact != null) {
      Matcher m = CONTACT_EXPIRES.matcher(contact);
      if (m.find()) {
        return parse(m.group(1));
      }
    }
    return expiresHeader == null ? OptionalInt.empty() : parse(expiresHeader.trim());
  }

  /** True for the given method, ignoring case. */
  public boolean is(String method) {
    return this.method.equalsIgnoreCase(method);
  }

  private static OptionalInt parse(String digits) {
    if (!digits.matches("\\d{1,10}")) {
      return OptionalInt.empty();
    }
    long value = Long.parseLong(digits);
    return value > Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of((int) value);
  }
}

package org.sipline.core.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * A checked SIP or SIPS address: {@code scheme:[user@]host[:port][;params]}. Instances are built
 * only from validated parts (see {@code org.sipline.core.sip.SipAddresses}), so a backend can put
 * {@link #toString()} on the wire as it is.
 *
 * @param scheme "sip" or "sips"
 * @param user the user part, already escaped for the wire, or null
 * @param host a host name, IPv4 address or bracketed IPv6 reference
 * @param port the port, or -1 for the scheme's default
 * @param params URI parameters including their leading ';' (e.g. ";user=phone"), or ""
 */
public record SipUri(String scheme, String user, String host, int port, String params) {
  public SipUri {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      throw new IllegalArgumentException("scheme must be sip or sips: " + scheme);
    }
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    params = params == null ? "" : params;
  }

  public static SipUri of(String user, String host, int port) {
    return new SipUri("sip", user, host, port, "");
  }

  /** {@code user@host[:port]}, the form accounts and callees are reported in. */
  public String addressOfRecord() {
    StringBuilder sb = new StringBuilder();
    if (user != null) {
      sb.append(user).append('@');
    }
    sb.append(host);
    if (port >= 0) {
      sb.append(':').append(port);
    }
    return sb.toString();
  }

  /** {@code host[:port]}, the registrar / domain this address belongs to. */
  public String hostPort() {
    return port >= 0 ? host + ":" + port : host;
  }

  public SipUri withoutUser() {
    return new SipUri(scheme, null, host, port, "");
  }

  @Override
  public String toString() {
    return scheme + ":" + addressOfRecord() + params;
  }
}

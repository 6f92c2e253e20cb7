package org.sipline.core.spi;

import java.util.Locale;
import java.util.Objects;
import org.sipline.core.sip.SipAddresses;

/**
 * A checked SIP or SIPS address: {@code scheme:[user@]host[:port][;params]}. Every instance passed
 * the checks of {@link #of(String, String, String, int, String)} (the rules of {@link
 * SipAddresses}), whoever made it — the core parsing a request, a backend reading a From header, a
 * test — so a backend can put {@link #toString()} on the wire as it is.
 */
public final class SipUri {
  private final String scheme;
  private final String user;
  private final String host;
  private final int port;
  private final String params;

  private SipUri(String scheme, String user, String host, int port, String params) {
    this.scheme = scheme;
    this.user = user;
    this.host = host;
    this.port = port;
    this.params = params;
  }

  /**
   * The one way to make a SipUri: checks every part and refuses what {@link SipAddresses} would not
   * accept.
   *
   * @param scheme "sip" or "sips", in any case
   * @param user the user part, already escaped for the wire, or null
   * @param host a host name, IPv4 address or bracketed IPv6 reference (host names are lower-cased)
   * @param port 1..65535, or -1 for the scheme's default
   * @param params URI parameters including their leading ';' (e.g. ";user=phone"), "" or null
   * @throws org.sipline.core.InvalidArgumentException naming the part and what was wrong
   * @return the URI
   */
  public static SipUri of(String scheme, String user, String host, int port, String params) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    String p = params == null ? "" : params;
    String checkedHost = SipAddresses.checkParts(scheme, user, host, port, p);
    return new SipUri(scheme.toLowerCase(Locale.ROOT), user, checkedHost, port, p);
  }

  /**
   * {@code sip:user@host[:port]}, checked as {@link #of(String, String, String, int, String)}.
   *
   * @param user the user part, escaped for the wire
   * @param host a host name or address
   * @param port 1..65535, or -1 for the default
   * @return the URI
   */
  public static SipUri of(String user, String host, int port) {
    return of("sip", user, host, port, "");
  }

  /**
   * "sip" or "sips".
   *
   * @return the scheme
   */
  public String scheme() {
    return scheme;
  }

  /**
   * The user part, escaped for the wire, or null.
   *
   * @return the user part, or null
   */
  public String user() {
    return user;
  }

  /**
   * A host name (lower case), IPv4 address or bracketed IPv6 reference.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * The port, or -1 for the scheme's default.
   *
   * @return the port, or -1
   */
  public int port() {
    return port;
  }

  /**
   * URI parameters including their leading ';', or "".
   *
   * @return the parameters, or ""
   */
  public String params() {
    return params;
  }

  /**
   * {@code user@host[:port]}, the form accounts and callees are reported in.
   *
   * @return the address of record
   */
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

  /**
   * {@code host[:port]}, the registrar / domain this address belongs to.
   *
   * @return host and port
   */
  public String hostPort() {
    return port >= 0 ? host + ":" + port : host;
  }

  /**
   * The same host and port without user or parameters: the registrar's address of an account.
   *
   * @return the URI of the host
   */
  public SipUri withoutUser() {
    return new SipUri(scheme, null, host, port, "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SipUri u
        && scheme.equals(u.scheme)
        && Objects.equals(user, u.user)
        && host.equals(u.host)
        && port == u.port
        && params.equals(u.params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, user, host, port, params);
  }

  @Override
  public String toString() {
    return scheme + ":" + addressOfRecord() + params;
  }
}

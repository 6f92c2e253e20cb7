package org.sipline.core.sip;

/**
 * The part of a SIP URI after {@code sip:}: {@code [user@]hostport[;uri-parameters]}, checked. URI
 * headers ({@code ?name=value}) and passwords ({@code user:secret@}) are refused: the first would
 * smuggle headers past {@link SipHeaders}, the second puts a secret into logs.
 *
 * @param user the user part, or null when the URI has none
 * @param hostPort the host and port
 * @param params the URI parameters including their leading ';', or ""
 */
record SipUriBody(String user, HostPort hostPort, String params) {
  static SipUriBody parse(Input in, String body) {
    // '@' may appear once at most: the user rule, hosts and parameters all exclude it.
    int at = body.indexOf('@');
    if (at >= 0 && body.indexOf('@', at + 1) >= 0) {
      throw in.failIn("'@' appears more than once");
    }
    String user = at < 0 ? null : UserPart.check(in, body.substring(0, at));
    String rest = body.substring(at + 1);
    if (rest.indexOf('?') >= 0) {
      throw in.failIn("URI headers ('?...') not allowed");
    }
    int semi = rest.indexOf(';');
    HostPort hostPort = HostPort.parse(in, semi < 0 ? rest : rest.substring(0, semi));
    String params = UriParams.check(in, semi < 0 ? "" : rest.substring(semi));
    return new SipUriBody(user, hostPort, params);
  }
}

package org.sipline.backend.jainsip;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Response;

/**
 * One Digest challenge from a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate). Values are
 * checked before we echo them back in quotes: a peer's text must not be able to break out of our
 * header.
 *
 * @param proxy true for Proxy-Authenticate (answered with Proxy-Authorization)
 * @param realm the protection space
 * @param nonce the server's nonce
 * @param opaque echoed unchanged, or null
 * @param algorithm the hash to use
 * @param qop "auth", "auth-int" or null (RFC 2069 style, no qop offered)
 * @param stale whether the server says only the nonce was stale (the credentials were right)
 */
record DigestChallenge(
    boolean proxy,
    String realm,
    String nonce,
    String opaque,
    DigestAlgorithm algorithm,
    String qop,
    boolean stale) {

  /** Longer values are not a nonce or realm any real server sends. */
  private static final int MAX_VALUE = 1024;

  /**
   * The challenge to answer in {@code response} (401 or 407): the topmost Digest challenge whose
   * algorithm and qop we support (RFC 8760 §2.4: the server lists its preference first).
   *
   * @throws IllegalArgumentException naming what was wrong when no challenge can be answered
   */
  static DigestChallenge choose(Response response) {
    boolean proxy = response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
    String headerName = proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME;
    List<String> refused = new ArrayList<>();
    ListIterator<?> it = response.getHeaders(headerName);
    while (it.hasNext()) {
      WWWAuthenticateHeader h = (WWWAuthenticateHeader) it.next();
      try {
        return parse(proxy, h);
      } catch (IllegalArgumentException e) {
        refused.add(e.getMessage());
      }
    }
    throw new IllegalArgumentException(
        refused.isEmpty()
            ? "no " + headerName + " header"
            : "no " + headerName + " challenge we can answer: " + String.join("; ", refused));
  }

  static DigestChallenge parse(boolean proxy, WWWAuthenticateHeader h) {
    if (!"Digest".equalsIgnoreCase(h.getScheme())) {
      throw new IllegalArgumentException("scheme " + h.getScheme() + " is not Digest");
    }
    String realm = checked("realm", h.getRealm(), true);
    String nonce = checked("nonce", h.getNonce(), true);
    String opaque = checked("opaque", h.getOpaque(), false);
    String algorithmName = h.getAlgorithm();
    DigestAlgorithm algorithm =
        algorithmName == null
            ? DigestAlgorithm.MD5
            : DigestAlgorithm.byWireName(algorithmName.trim());
    if (algorithm == null) {
      throw new IllegalArgumentException("algorithm " + algorithmName + " is not supported");
    }
    String qop = chooseQop(h.getQop());
    String staleValue = h.getParameter("stale");
    boolean stale = staleValue != null && staleValue.trim().equalsIgnoreCase("true");
    return new DigestChallenge(proxy, realm, nonce, opaque, algorithm, qop, stale);
  }

  /** "auth" when offered, else "auth-int", else null when qop is absent (RFC 2069). */
  private static String chooseQop(String offered) {
    if (offered == null) {
      return null;
    }
    boolean authInt = false;
    for (String option : offered.split(",")) {
      String o = option.trim().toLowerCase(Locale.ROOT);
      if (o.equals("auth")) {
        return "auth";
      }
      authInt |= o.equals("auth-int");
    }
    if (authInt) {
      return "auth-int";
    }
    throw new IllegalArgumentException("qop \"" + offered + "\" offers neither auth nor auth-int");
  }

  private static String checked(String name, String value, boolean required) {
    if (value == null || value.isEmpty()) {
      if (required) {
        throw new IllegalArgumentException("Digest challenge without " + name);
      }
      return null;
    }
    if (value.length() > MAX_VALUE) {
      throw new IllegalArgumentException(name + " length " + value.length() + " > " + MAX_VALUE);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            name + " contains character 0x" + Integer.toHexString(c) + " at " + i);
      }
    }
    return value;
  }
}

package org.sipline.backend.jainsip;

import java.util.Objects;

/**
 * The digest computation of RFC 7616 §3.4.1 (RFC 2617 and, without qop, RFC 2069), kept free of SIP
 * objects so it can be checked against the RFCs' examples.
 *
 * @param algorithm the hash
 * @param username the digest user name
 * @param realm the challenge's realm
 * @param password the secret
 * @param nonce the challenge's nonce
 * @param method the request method (e.g. REGISTER)
 * @param uri the Request-URI exactly as sent
 * @param qop "auth", "auth-int" or null for RFC 2069 style
 * @param nonceCount nc as 8 hex digits, or null without qop
 * @param cnonce our client nonce, or null without qop (and not "-sess")
 * @param body the message body, used only with qop=auth-int
 */
// The body is hashed into the response and never compared: equality by identity does not matter.
@SuppressWarnings("ArrayRecordComponent")
record DigestResponse(
    DigestAlgorithm algorithm,
    String username,
    String realm,
    String password,
    String nonce,
    String method,
    String uri,
    String qop,
    String nonceCount,
    String cnonce,
    byte[] body) {

  DigestResponse {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    if (qop != null && (nonceCount == null || cnonce == null)) {
      throw new IllegalArgumentException("qop=" + qop + " needs nc and cnonce");
    }
    if (algorithm.isSession() && cnonce == null) {
      throw new IllegalArgumentException(algorithm.wireName() + " needs a cnonce");
    }
  }

  /** The {@code response} parameter's value: lower-case hex. */
  String compute() {
    String ha1 = algorithm.hash(username + ":" + realm + ":" + password);
    if (algorithm.isSession()) {
      ha1 = algorithm.hash(ha1 + ":" + nonce + ":" + cnonce);
    }
    String a2 = method + ":" + uri;
    if ("auth-int".equals(qop)) {
      a2 += ":" + algorithm.hash(body == null ? new byte[0] : body);
    }
    String ha2 = algorithm.hash(a2);
    if (qop == null) {
      return algorithm.hash(ha1 + ":" + nonce + ":" + ha2);
    }
    return algorithm.hash(
        ha1 + ":" + nonce + ":" + nonceCount + ":" + cnonce + ":" + qop + ":" + ha2);
  }

  @Override
  public String toString() {
    // The password stays out of every log line.
    return "DigestResponse["
        + algorithm.wireName()
        + ", username="
        + username
        + ", realm="
        + realm
        + ", method="
        + method
        + ", uri="
        + uri
        + ", qop="
        + qop
        + ", nc="
        + nonceCount
        + "]";
  }
}

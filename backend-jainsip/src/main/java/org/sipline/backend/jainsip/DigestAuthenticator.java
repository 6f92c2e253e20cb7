package org.sipline.backend.jainsip;

import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Answers Digest challenges for one account's chain of requests (a registration, a call). Our own
 * because the RI's helper always sends {@code cnonce="xyz"} and {@code nc=00000001} and rewrites
 * the Request-URI. A fresh random cnonce goes with every request and nc counts up per nonce, so a
 * challenge can be reused for later requests (refreshes, BYE) until the server asks again.
 *
 * <p>A chain ends in failure when a server challenges the same realm again right after we answered
 * its own challenge, unless it says {@code stale=true}: the credentials are wrong and asking again
 * would loop.
 */
final class DigestAuthenticator {
  /** Challenges answered in one chain before we call it a loop, stale or not. */
  private static final int MAX_CHALLENGES_PER_CHAIN = 5;

  private final String username;
  private final String password;
  private final SecureRandom random;
  private final Map<String, Credentials> byRealm = new LinkedHashMap<>();
  private final Set<String> answeredInChain = new HashSet<>();
  private int challengesInChain;

  DigestAuthenticator(String username, String password, SecureRandom random) {
    this.username = username;
    this.password = password;
    this.random = random;
  }

  /** A new request chain starts (a refresh, a new call): earlier answers no longer count. */
  void newChain() {
    answeredInChain.clear();
    challengesInChain = 0;
  }

  /**
   * Learns the challenge in a 401 or 407.
   *
   * @return null when the request should be sent again with {@link #authorize}, else why not
   */
  String challenged(Response response) {
    DigestChallenge challenge;
    try {
      challenge = DigestChallenge.choose(response);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (++challengesInChain > MAX_CHALLENGES_PER_CHAIN) {
      return "challenged " + MAX_CHALLENGES_PER_CHAIN + " times in a row";
    }
    if (answeredInChain.contains(challenge.realm()) && !challenge.stale()) {
      return "credentials of " + username + " refused for realm \"" + challenge.realm() + "\"";
    }
    answeredInChain.add(challenge.realm());
    byRealm.put(challenge.realm(), new Credentials(challenge));
    return null;
  }

  /**
   * Replaces {@code request}'s Authorization and Proxy-Authorization headers with answers to every
   * challenge we know, each with a new cnonce and the next nc.
   */
  void authorize(Request request, HeaderFactory headers) throws ParseException {
    request.removeHeader(AuthorizationHeader.NAME);
    request.removeHeader(ProxyAuthorizationHeader.NAME);
    String uri = request.getRequestURI().toString();
    byte[] body = request.getRawContent();
    for (Credentials c : byRealm.values()) {
      request.addHeader(c.header(request.getMethod(), uri, body, headers));
    }
  }

  private final class Credentials {
    private final DigestChallenge challenge;
    private int nonceCount;

    Credentials(DigestChallenge challenge) {
      this.challenge = challenge;
    }

    AuthorizationHeader header(String method, String uri, byte[] body, HeaderFactory headers)
        throws ParseException {
      DigestChallenge c = challenge;
      boolean needsCnonce = c.qop() != null || c.algorithm().isSession();
      String cnonce = needsCnonce ? newCnonce() : null;
      String nc = c.qop() != null ? String.format("%08x", ++nonceCount) : null;
      String response =
          new DigestResponse(
                  c.algorithm(),
                  username,
                  c.realm(),
                  password,
                  c.nonce(),
                  method,
                  uri,
                  c.qop(),
                  nc,
                  cnonce,
                  body)
              .compute();
      AuthorizationHeader h =
          c.proxy()
              ? headers.createProxyAuthorizationHeader("Digest")
              : headers.createAuthorizationHeader("Digest");
      h.setUsername(username);
      h.setRealm(c.realm());
      h.setNonce(c.nonce());
      h.setParameter("uri", uri);
      h.setResponse(response);
      h.setAlgorithm(c.algorithm().wireName());
      if (c.opaque() != null) {
        h.setOpaque(c.opaque());
      }
      if (cnonce != null) {
        h.setCNonce(cnonce);
      }
      if (c.qop() != null) {
        h.setQop(c.qop());
        h.setParameter("nc", nc);
      }
      return h;
    }
  }

  private String newCnonce() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}

package org.sipline.core.sip;

import org.sipline.core.InvalidArgumentException;
import org.sipline.core.spi.SipUri;

/**
 * Turns untrusted address strings from requests into checked {@link SipUri}s, or refuses them with
 * an {@link InvalidArgumentException} naming the field and what was wrong — never with anything
 * else. What is accepted renders, through {@link SipUri#toString()}, into wire text without CR, LF
 * or NUL, and parses back to an equal {@code SipUri}.
 *
 * <p>Rules common to every form:
 *
 * <ul>
 *   <li>At most {@value #MAX_LENGTH} characters; printable ASCII only (no controls, no IDN: give a
 *       host name in its punycode form); spaces around the value are ignored.
 *   <li>Host: a DNS name (labels of letters, digits and inner '-', ≤ 63 characters each, ≤ 253 in
 *       all, the last starting with a letter; one trailing dot allowed), a dotted IPv4 address
 *       without leading zeros, or an IPv6 address in brackets without a zone index. Host names are
 *       lower-cased (they are case-insensitive).
 *   <li>Port: 1..65535, absent when not given.
 *   <li>User part: RFC 3261's {@code user} rule — letters, digits, {@code -_.!~*'()}, {@code
 *       &=+$,;?/} and {@code %HH} escapes of printable bytes. Any other character (a space, {@code
 *       #}, {@code <}, {@code "}, ...) is <em>refused</em> with a message giving its escape, never
 *       escaped silently; a {@code ':'} (a password) is refused. The case is kept.
 *   <li>URI parameters {@code ;name[=value]}: tokens, each name once, {@code maddr} a host, {@code
 *       ttl} 0..255; kept as written. URI headers ({@code ?...}) are refused.
 * </ul>
 */
public final class SipAddresses {
  /** Longest address accepted, in characters. */
  public static final int MAX_LENGTH = Input.MAX_LENGTH;

  /** Most digits a phone number may have. */
  public static final int MAX_PHONE_DIGITS = PhoneNumber.MAX_DIGITS;

  private static final String USER_PHONE = ";user=phone";

  private SipAddresses() {}

  /**
   * Reads an account name: {@code user@host[:port]}, or the same as a {@code sip:} or {@code sips:}
   * URI. A user part and a host are required; URI parameters are refused (the transport is the
   * backend's setting, not the account's).
   *
   * @param field the request field, for the error message (e.g. {@code account_name})
   * @param accountName the name as given
   * @return the account's address
   */
  public static SipUri parseAccount(String field, String accountName) {
    Input in = Input.clean(field, accountName);
    Scheme scheme = Scheme.of(in);
    if (scheme == Scheme.TEL) {
      throw in.failIn("an account must be a SIP address, not tel:");
    }
    SipUriBody body = SipUriBody.parse(in, scheme == null ? in.text() : scheme.body(in));
    if (body.user() == null) {
      throw in.failIn("user part missing (expected user@host)");
    }
    if (!body.params().isEmpty()) {
      throw in.failIn("URI parameters not allowed in an account name");
    }
    return uri(scheme, body.user(), body.hostPort(), "");
  }

  /**
   * Reads a call or transfer target, one of:
   *
   * <ul>
   *   <li>{@code user} — called at the account's host and port, with the account's scheme;
   *   <li>{@code user@host[:port][;params]} — taken as {@code sip:} followed by it;
   *   <li>a {@code sip:} or {@code sips:} URI, the user part optional;
   *   <li>{@code tel:number[;params]} — {@code sip:number;params@accountHost;user=phone};
   *   <li>a phone number: digits with an optional leading '+' and visual separators (space {@code -
   *       . ( )}), containing a '+' or a separator — the separators dropped, then as {@code tel:}.
   *       Digits alone ({@code 100}) are a user name, called without {@code user=phone}.
   * </ul>
   *
   * @param field the request field, for the error message (e.g. {@code callee_id})
   * @param account the account whose host a relative target is resolved against; when null, a
   *     relative target is refused
   * @param target the target as given
   * @return the target's address
   */
  public static SipUri parseTarget(String field, String target, SipUri account) {
    Input in = Input.clean(field, target);
    Scheme scheme = Scheme.of(in);
    if (scheme == Scheme.SIP || scheme == Scheme.SIPS) {
      SipUriBody body = SipUriBody.parse(in, scheme.body(in));
      return uri(scheme, body.user(), body.hostPort(), body.params());
    }
    if (scheme == Scheme.TEL) {
      return resolve(in, account, TelUri.userPart(in, scheme.body(in)), USER_PHONE);
    }
    String text = in.text();
    if (text.indexOf('@') >= 0) {
      SipUriBody body = SipUriBody.parse(in, text);
      return uri(Scheme.SIP, body.user(), body.hostPort(), body.params());
    }
    if (PhoneNumber.looksLikeOne(text)) {
      return resolve(in, account, PhoneNumber.normalize(in, text), USER_PHONE);
    }
    if (text.indexOf(':') >= 0) {
      throw in.failIn(
          "no user part (expected user, user@host[:port], a sip:, sips: or tel: URI,"
              + " or a phone number)");
    }
    return resolve(in, account, UserPart.check(in, text), "");
  }

  /**
   * Reads an outbound proxy: {@code host[:port][;params]} or a {@code sip:}/{@code sips:} URI
   * without a user part, e.g. {@code sip:proxy.example.org:5060;lr}. Null, empty or blank means no
   * proxy and gives null.
   *
   * @param field the request field, for the error message (e.g. {@code outbound_proxy})
   * @param proxy the proxy as given
   * @return the proxy's address, or null for none
   */
  public static SipUri parseProxy(String field, String proxy) {
    if (proxy == null || proxy.chars().allMatch(c -> c == ' ')) {
      return null;
    }
    Input in = Input.clean(field, proxy);
    Scheme scheme = Scheme.of(in);
    if (scheme == Scheme.TEL) {
      throw in.failIn("an outbound proxy must be a SIP address, not tel:");
    }
    SipUriBody body = SipUriBody.parse(in, scheme == null ? in.text() : scheme.body(in));
    if (body.user() != null) {
      throw in.failIn("user part not allowed in an outbound proxy");
    }
    return uri(scheme, null, body.hostPort(), body.params());
  }

  /**
   * The checks behind {@link SipUri#of(String, String, String, int, String)}, part by part, with
   * the rules above: what every SipUri passes, whoever builds it.
   *
   * @return the host in its canonical (lower-case) form
   * @throws InvalidArgumentException naming the part ({@code sip_uri.host}, …) and what was wrong
   * @param scheme the URI's scheme
   * @param user the user part, escaped for the wire, or null
   * @param host the host
   * @param port the port, or -1
   * @param params the URI parameters with their leading ';', or "" or null
   */
  public static String checkParts(
      String scheme, String user, String host, int port, String params) {
    String s = scheme.toLowerCase(java.util.Locale.ROOT);
    if (!s.equals(Scheme.SIP.text()) && !s.equals(Scheme.SIPS.text())) {
      throw new InvalidArgumentException(
          "sip_uri.scheme", "must be sip or sips: " + Quote.single(scheme));
    }
    if (user != null) {
      UserPart.check(Input.clean("sip_uri.user", user), user);
    }
    String checkedHost = HostPort.host(Input.clean("sip_uri.host", host), host);
    if (port != -1 && (port < 1 || port > 65535)) {
      throw new InvalidArgumentException("sip_uri.port", port + " out of range 1..65535 (or -1)");
    }
    if (!params.isEmpty()) {
      if (params.charAt(0) != ';') {
        throw new InvalidArgumentException(
            "sip_uri.params", Quote.single(params) + " must start with ';'");
      }
      UriParams.check(Input.clean("sip_uri.params", params), params);
    }
    return checkedHost;
  }

  private static SipUri resolve(Input in, SipUri account, String user, String params) {
    if (account == null) {
      throw in.failIn("no host, and no account to take it from");
    }
    return SipUri.of(account.scheme(), user, account.host(), account.port(), params);
  }

  private static SipUri uri(Scheme scheme, String user, HostPort hostPort, String params) {
    String name = scheme == null ? Scheme.SIP.text() : scheme.text();
    return SipUri.of(name, user, hostPort.host(), hostPort.port(), params);
  }
}

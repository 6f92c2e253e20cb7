package org.sipline.core.spi;

import java.util.Objects;

/**
 * A validated account to register.
 *
 * @param aor the address of record, e.g. sip:bot@example.org; its host is the registrar
 * @param password the digest secret; never logged, never in a status
 * @param authUsername the digest user name (the AOR's user part when the request left it empty)
 * @param outboundProxy where every request goes first (a pre-loaded Route), or null
 * @param maxCalls how many calls of the account the backend lets ring at once before it answers 486
 *     itself: 1 for an account of one line; more when several lines share the account (a trunk
 *     identity) and the core chooses the line
 */
public record AccountSpec(
    SipUri aor, String password, String authUsername, SipUri outboundProxy, int maxCalls) {
  /**
   * Checks the parts: an address of record, a secret and a user are required, and at least one
   * call.
   *
   * @param aor the address of record, e.g. sip:bot@example.org; its host is the registrar
   * @param password the digest secret; never logged, never in a status
   * @param authUsername the digest user name (the AOR's user part when the request left it empty)
   * @param outboundProxy where every request goes first (a pre-loaded Route), or null
   * @param maxCalls how many calls of the account the backend lets ring at once before it answers
   *     486 itself: 1 for an account of one line; more when several lines share the account (a
   *     trunk identity) and the core chooses the line
   */
  public AccountSpec {
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(authUsername, "authUsername");
    if (maxCalls < 1) {
      throw new IllegalArgumentException("maxCalls < 1: " + maxCalls);
    }
  }

  /**
   * An account of one line: one call at a time.
   *
   * @param aor the address of record; its host is the registrar
   * @param password the digest secret
   * @param authUsername the digest user name
   * @param outboundProxy where every request goes first, or null
   */
  public AccountSpec(SipUri aor, String password, String authUsername, SipUri outboundProxy) {
    this(aor, password, authUsername, outboundProxy, 1);
  }

  /**
   * The same account with another call limit.
   *
   * @param calls how many calls of the account may ring at once; at least 1
   * @return a copy of this account that differs only in {@code maxCalls}
   */
  public AccountSpec withMaxCalls(int calls) {
    return new AccountSpec(aor, password, authUsername, outboundProxy, calls);
  }

  /**
   * The account as the API names it: {@code user@host[:port]}.
   *
   * @return the address of record without scheme or parameters
   */
  public String accountName() {
    return aor.addressOfRecord();
  }

  @Override
  public String toString() {
    // The password stays out of every log line and error message.
    return "AccountSpec[aor="
        + aor
        + ", authUsername="
        + authUsername
        + ", outboundProxy="
        + outboundProxy
        + ", maxCalls="
        + maxCalls
        + "]";
  }
}

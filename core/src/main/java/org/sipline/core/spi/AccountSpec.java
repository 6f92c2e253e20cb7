package org.sipline.core.spi;

import java.util.Objects;

/**
 * A validated account to register.
 *
 * @param aor the address of record, e.g. sip:bot@example.org; its host is the registrar
 * @param password the digest secret; never logged, never in a status
 * @param authUsername the digest user name (the AOR's user part when the request left it empty)
 * @param outboundProxy where every request goes first (a pre-loaded Route), or null
 */
public record AccountSpec(SipUri aor, String password, String authUsername, SipUri outboundProxy) {
  public AccountSpec {
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(authUsername, "authUsername");
  }

  /** The account as the API names it: {@code user@host[:port]}. */
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
        + "]";
  }
}

package org.sipline.core.spi;

import java.util.Objects;

/**
 * One binding an account holds at its registrar: enough for a later process to remove it (REGISTER
 * with the same Contact and Expires: 0) after the process that registered it died, so the registrar
 * stops sending calls to a dead contact. Reported by a backend ({@link SipAccount#binding()}); no
 * secret is part of it.
 *
 * @param aor the address of record, e.g. {@code sip:bot@example.org}; its host is the registrar
 * @param contact the Contact URI registered, e.g. {@code sip:bot@127.0.0.1:40123}
 * @param outboundProxy the outbound proxy the REGISTER went through, or "" for none
 * @param transport the transport it was registered over
 */
public record BindingRecord(String aor, String contact, String outboundProxy, Transport transport) {
  /**
   * Checks that every part is given ("" for no outbound proxy).
   *
   * @param aor the address of record, e.g. {@code sip:bot@example.org}; its host is the registrar
   * @param contact the Contact URI registered, e.g. {@code sip:bot@127.0.0.1:40123}
   * @param outboundProxy the outbound proxy the REGISTER went through, or "" for none
   * @param transport the transport it was registered over
   */
  public BindingRecord {
    Objects.requireNonNull(aor, "aor");
    Objects.requireNonNull(contact, "contact");
    Objects.requireNonNull(outboundProxy, "outboundProxy");
    Objects.requireNonNull(transport, "transport");
  }
}

package org.sipline.backend.jainsip;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.util.Collection;
import javax.sip.message.Request;

/**
 * Tells a stranger's request from one a line may act on: a stranger is any source the
 * {@link TrustedSources} of the backend's options do not admit for its accounts. A stranger's
 * requests that reach no call are answered statelessly ({@link Responder#respondStatelessly}):
 * a scanner sending thousands of INVITEs a second would otherwise make the stack hold an INVITE
 * server transaction and its dialog for each one until Timer H (64·T1, 32 s) gave up waiting for
 * the ACK of our refusal — 160,000 of them at 5,000/s, enough to fill the heap.
 */
final class Strangers {
  private final TrustedSources trusted;
  private final Collection<JainSipAccount> accounts;

  Strangers(TrustedSources trusted, Collection<JainSipAccount> accounts) {
    this.trusted = trusted;
    this.accounts = accounts;
  }

  /** Whether {@code request} comes from a stranger (an unknown source counts as one). */
  boolean sent(Request request) {
    return !trusted.admits(source(request), accounts);
  }

  /** The address the request's packet or connection came from; null when the stack knows none. */
  static InetAddress source(Request request) {
    return request instanceof SIPMessage m ? m.getRemoteAddress() : null;
  }
}

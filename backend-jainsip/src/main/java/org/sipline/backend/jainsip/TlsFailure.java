package org.sipline.backend.jainsip;

import javax.net.ssl.SSLException;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;

/**
 * A request that could not be sent because its TLS connection failed, told as such: "TLS handshake
 * with 127.0.0.1:5061 failed: certificate of CN=pbx expired on …" rather than the RI's wrapping
 * ("IO Exception occured while Sending Request") or a stack trace. The reason is the handshake's
 * own message, which {@link PeerCertificateCheck} words for certificate refusals.
 */
final class TlsFailure {
  private TlsFailure() {}

  /**
   * The failure to report for {@code e}, thrown while sending {@code what} toward {@code target}
   * (through {@code proxy} when not null): a TLS one when an {@link SSLException} caused it, else
   * {@code what}'s own with {@code e}'s message.
   */
  static SipFailure of(String what, SipUri target, SipUri proxy, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException ssl) {
        String hop = (proxy != null ? proxy : target).hostPort();
        return SipFailure.exception(
            "TLS handshake with " + hop + " failed: " + ssl.getMessage() + " (" + what + ")", e);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return SipFailure.exception(what + ": " + e.getMessage(), e);
  }
}

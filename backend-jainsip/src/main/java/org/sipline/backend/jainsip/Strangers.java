package org.sipline.backend.jainsip;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Request;
import org.sipline.backend.jainsip.dns.IpLiteral;
import org.sipline.core.spi.BackendObserver;
import org.sipline.core.spi.TrustedSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a stranger's request from one a line may act on: a stranger is any source the {@link
 * TrustedSources} of the backend's options do not admit for its accounts. A stranger's requests
 * that reach no call are answered statelessly ({@link Responder#respondStatelessly}): a scanner
 * sending thousands of INVITEs a second would otherwise make the stack hold an INVITE server
 * transaction and its dialog for each one until Timer H (64·T1, 32 s) gave up waiting for the ACK
 * of our refusal — 160,000 of them at 5,000/s, enough to fill the heap.
 *
 * <p>Their refusals are logged one line per {@value #LOG_INTERVAL_SECONDS} s with a count of the
 * rest: a line per request would let the same flood write 10,000 lines a second. Used on the SIP
 * executor only.
 */
final class Strangers {
  private static final Logger log = LoggerFactory.getLogger(Strangers.class);
  static final long LOG_INTERVAL_SECONDS = 10;
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS);

  private final TrustedSources trusted;
  private final Collection<JainSipAccount> accounts;
  private final BackendObserver observer;
  private boolean logged;
  private long loggedAt;
  private long unlogged;

  Strangers(TrustedSources trusted, Collection<JainSipAccount> accounts) {
    this(trusted, accounts, BackendObserver.NONE);
  }

  /**
   * @param observer told of every refusal (metrics), logged or not
   */
  Strangers(TrustedSources trusted, Collection<JainSipAccount> accounts, BackendObserver observer) {
    this.trusted = trusted;
    this.accounts = accounts;
    this.observer = observer;
  }

  /** Whether {@code request} comes from a stranger (an unknown source counts as one). */
  boolean sent(Request request) {
    InetAddress source = source(request);
    if (source != null) {
      String address = IpLiteral.text(source);
      for (JainSipAccount a : accounts) {
        if (a.registration().locatedAt(address)) {
          return false;
        }
      }
    }
    // Only accounts whose registrar and proxy are numeric: TrustedSources would resolve a name
    // here, on the SIP thread every line shares; a named one is trusted by its location above.
    List<JainSipAccount> numeric = new ArrayList<>();
    for (JainSipAccount a : accounts) {
      if (IpLiteral.isNumeric(a.spec().aor().host())
          && (a.spec().outboundProxy() == null
              || IpLiteral.isNumeric(a.spec().outboundProxy().host()))) {
        numeric.add(a);
      }
    }
    return !trusted.admits(source, numeric);
  }

  /** The address the request's packet or connection came from; null when the stack knows none. */
  static InetAddress source(Request request) {
    return request instanceof SIPMessage m ? m.getRemoteAddress() : null;
  }

  /** Logs that a stranger's {@code request} got {@code code}, or counts it toward the next line. */
  void refused(Request request, int code) {
    observer.strangerRefused(request.getMethod(), code);
    long now = System.nanoTime();
    if (logged && now - loggedAt < LOG_INTERVAL_NANOS) {
      unlogged++;
      return;
    }
    InetAddress source = source(request);
    log.info(
        "{}: from {}, not a registrar or outbound proxy of ours nor in {}: {} statelessly"
            + " ({} more requests from strangers refused since the last such line)",
        SipLog.request(request),
        source == null ? "an unknown address" : source.getHostAddress(),
        BackendOptions.TRUSTED_SOURCES,
        code,
        unlogged);
    logged = true;
    loggedAt = now;
    unlogged = 0;
  }
}

/**
 * The default backend, "jainsip": SIP signalling over the JAIN-SIP RI.
 *
 * <pre>
 *   API thread ──► JainSipAccount / JainSipCall ──┐
 *   JAIN-SIP EventScannerThread ──► SipDispatcher ─┼──► SipExecutor (one thread: all SIP state,
 *   timers ────────────────────────────────────────┘     timers, listener events)
 *                                                            │
 *                      Registration (REGISTER + DigestAuthenticator)
 *                      calls (INVITE, CANCEL, BYE, REFER/NOTIFY) ──► media sessions
 * </pre>
 *
 * <p>One {@link org.sipline.backend.jainsip.JainSipBackendProvider#create backend} is one JAIN-SIP
 * stack with one provider (UDP and TCP on the SIP port, TLS when configured) serving any number of
 * accounts and calls. Every piece of SIP state lives on a single executor thread: the RI's listener
 * only queues events there, the API's methods only queue commands there, and the timers run there.
 * Events reach the account's {@link org.sipline.core.spi.SipEventListener} from that thread, in
 * order, never concurrently and with no lock held.
 *
 * <p>Threads: every thread of a backend (the RI's and ours) belongs to one thread group; {@code
 * close()} ends all of them, including the RI's non-daemon EventScannerThread that the RI's own
 * {@code stop()} leaves waiting forever.
 *
 * <p>Where we differ from the RI's helpers: digest authentication is our own (the RI's helper
 * always sends {@code cnonce="xyz"} and {@code nc=00000001}); every REGISTER and client transaction
 * is bounded by our own timers from {@link org.sipline.core.spi.BackendConfig} rather than the RI's
 * 32 s Timer F; a SIP port of 0 is resolved to a free port by us (the RI refuses port 0).
 *
 * <p>Options ({@link org.sipline.core.spi.BackendConfig#options()}): {@code register.expires}
 * (seconds asked for in REGISTER, default 600); {@code trusted.sources} (IP addresses, comma
 * separated, or {@code *}, whose out-of-dialog INVITEs reach a line besides the accounts'
 * registrars and outbound proxies; default none: strangers get 403); {@code tls.cert} and {@code
 * tls.key} (PEM files of our certificate and its key, read and checked by {@link
 * org.sipline.core.spi.TlsKeyPair}) or instead {@code tls.keyStore}, {@code tls.keyStorePassword},
 * {@code tls.keyStoreType} (default PKCS12), then {@code tls.ca} or {@code tls.trustStore}, {@code
 * tls.trustStorePassword}, {@code tls.trustStoreType} (default: the key store's) and {@code
 * tls.port} (default the SIP port + 1, or any free port when the SIP port is 0) for the TLS
 * listening point, which exists only when our certificate is given and is required for transport
 * TLS. The certificate is read at start-up (a bad file or a wrong password fails the start, naming
 * the option); the TLS side uses the JVM's default cipher suites with TLS 1.2/1.3 and does not ask
 * callers for a client certificate. The provider declares them ({@link
 * org.sipline.backend.jainsip.JainSipBackendProvider#options()}), and core refuses an unknown name
 * or a malformed value before the backend starts, listing the valid ones.
 *
 * <p>Calls, in short: we offer PCMU, PCMA and telephone-event with 20 ms packets and answer with
 * the offerer's first G.711 (488 when there is none); a CANCEL waits for a provisional response
 * (RFC 3261 §9.1) and a 200 crossing it is ACKed and ended with BYE; an incoming INVITE goes to the
 * account whose user the Request-URI (else the To) names, 404 when none and 486 while that account
 * has a call; a REFER from the far end is declined (603); a re-INVITE keeping the running codec is
 * accepted (its new address applied), any other gets 488. Calls are found by dialog (Call-ID and
 * our tag), so two lines of one backend can call each other through a proxy.
 *
 * <p>Logs: our own at {@code org.sipline.backend.jainsip.*} in SIP's words ("REGISTER
 * bot@example.org Call-ID abc: 403 Forbidden"); every message on the wire at DEBUG on {@code
 * org.sipline.backend.jainsip.wire}; the RI's internals on {@code gov.nist.javax.sip}. No password
 * is ever logged.
 */
package org.sipline.backend.jainsip;

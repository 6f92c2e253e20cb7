package org.sipline.backend.jainsip;

import java.io.IOException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.List;
import javax.sip.InvalidArgumentException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AllowHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;

/**
 * What every piece of the backend shares: the stack and its factories, the configuration, the SIP
 * executor, and the few ways we build the headers that name us (Via, Contact), so that
 * registrations and calls say the same thing about where we are.
 */
final class SipContext {
  /** The methods we answer; sent in Allow. */
  static final List<String> ALLOWED =
      List.of(
          Request.INVITE,
          Request.ACK,
          Request.BYE,
          Request.CANCEL,
          Request.OPTIONS,
          Request.REFER,
          Request.NOTIFY,
          Request.INFO,
          Request.UPDATE);

  final BackendConfig config;
  final BackendOptions options;
  final JainSipStack stack;
  final SipExecutor executor;
  final LocalAddresses localAddresses;
  final RtpSessions rtp;
  final SecureRandom random = new SecureRandom();
  final Responder responder = new Responder(this);

  /** What every request says in the same words, parsed once (see {@link ParsedOnce}). */
  final ParsedOnce parsed;

  /** RFC 3263 location, on threads of its own (never this executor's). */
  final org.sipline.backend.jainsip.dns.LocationExecutor locations;

  /**
   * How long locating a server may take before the request fails naming the lookup: Timer B's 32 s
   * is for the far end; a name server gets a quarter of it, as a SIP client transaction's 8 s.
   */
  static final java.time.Duration LOOKUP_BOUND = java.time.Duration.ofSeconds(8);

  /** Every call, until it ended and its dialog's late messages were absorbed. */
  final CallRegistry calls = new CallRegistry();

  /**
   * What OPTIONS is answered (see {@link org.sipline.core.spi.SipBackend#answerOptionsWith}): 200
   * until the core says otherwise.
   */
  volatile java.util.function.Supplier<org.sipline.core.spi.Capacity> capacity =
      () -> org.sipline.core.spi.Capacity.FREE;

  /** Set once by {@code close()}: from then on nothing new is started. */
  final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Refuses new work once the backend is closed, naming what was asked. */
  void requireOpen(String what) {
    if (closed.get()) {
      throw new IllegalStateException(what + ": the jainsip backend is closed");
    }
  }

  /**
   * @param dnsRandom orders SRV targets of one priority by weight; null for our SecureRandom (a
   *     test passes a seeded one to replay an order)
   */
  SipContext(
      BackendConfig config,
      BackendOptions options,
      JainSipStack stack,
      SipExecutor executor,
      LocalAddresses localAddresses,
      RtpSessions rtp,
      java.util.random.RandomGenerator dnsRandom) {
    this.config = config;
    this.options = options;
    this.stack = stack;
    this.executor = executor;
    this.localAddresses = localAddresses;
    this.rtp = rtp;
    this.parsed = new ParsedOnce(stack.addresses, stack.headers);
    this.locations =
        new org.sipline.backend.jainsip.dns.LocationExecutor(
            org.sipline.backend.jainsip.dns.ServerLocator.create(
                options.dnsServers(), dnsRandom == null ? random : dnsRandom),
            // Not in the stack's group: dnsjava starts its one NIO selector thread for the whole
            // JVM from whichever thread asks first, and it must not count as this backend's.
            new ThreadGroup(stack.threads.getParent(), stack.threads.getName() + "-dns"),
            stack.threads.getName() + "-dns");
  }

  SipProvider provider() {
    return stack.provider();
  }

  AddressFactory addresses() {
    return stack.addresses;
  }

  HeaderFactory headers() {
    return stack.headers;
  }

  MessageFactory messages() {
    return stack.messages;
  }

  /** User-Agent: who we are, on every request. */
  Header userAgent() throws ParseException {
    return parsed.header("User-Agent", config.userAgent());
  }

  /** Allow: the methods we answer. */
  AllowHeader allow() {
    try {
      return headers().createAllowHeader(String.join(", ", ALLOWED));
    } catch (ParseException e) {
      throw new IllegalStateException("Allow header", e);
    }
  }

  /** A new random token of {@code bytes} random bytes in hex (tags, Call-IDs). */
  String token(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The host a request to {@code uri} (through {@code proxy} when not null) travels to first. */
  static String nextHopHost(SipUri uri, SipUri proxy) {
    return proxy != null ? proxy.host() : uri.host();
  }

  /** What RFC 3263 locates for a request to {@code uri}: the outbound proxy when there is one. */
  static SipUri nextHop(SipUri uri, SipUri proxy) {
    return proxy != null ? proxy : uri;
  }

  /** Our address as seen from {@code peerHost} (see {@link LocalAddresses}). */
  String localHostToward(String peerHost) throws IOException {
    return localAddresses.toward(peerHost);
  }

  URI uri(SipUri uri) throws ParseException {
    return parsed.uri(uri.toString());
  }

  Address address(SipUri uri) throws ParseException {
    return addresses().createAddress(uri(uri));
  }

  /** A Via naming us at {@code host} with our port and transport, asking for rport. */
  ViaHeader via(String host) throws ParseException, InvalidArgumentException {
    ViaHeader via =
        headers()
            .createViaHeader(host, stack.port(config.transport()), config.transport().name(), null);
    via.setRPort();
    return via;
  }

  /** {@code <sip:user@host:port;transport=…>}: where requests for {@code user} reach us. */
  ContactHeader contact(String user, String host) throws ParseException {
    return contact(user, host, false);
  }

  /**
   * As {@link #contact(String, String)}; {@code secure} (a {@code sips:} account or target) makes
   * it {@code <sips:user@host:port>} — RFC 3261 §8.1.1.8: a request to a sips: URI carries a sips:
   * Contact — which implies TLS without a transport parameter (RFC 5630 §3.1.2).
   */
  ContactHeader contact(String user, String host, boolean secure) throws ParseException {
    SipURI uri = addresses().createSipURI(user, host);
    uri.setPort(stack.port(config.transport()));
    if (secure) {
      uri.setSecure(true);
    } else if (config.transport() != Transport.UDP) {
      uri.setTransportParam(config.transport().name().toLowerCase(java.util.Locale.ROOT));
    }
    return headers().createContactHeader(addresses().createAddress(uri));
  }

  /**
   * Whether a request to {@code target} (from {@code aor}) is a sips: one, which must travel over
   * TLS.
   *
   * @throws IllegalArgumentException when it is but the transport is not TLS
   */
  boolean secure(SipUri aor, SipUri target) {
    boolean secure = isSips(aor) || isSips(target);
    if (secure && config.transport() != Transport.TLS) {
      throw new IllegalArgumentException(
          (isSips(target) ? target : aor)
              + " is a sips: URI, which needs SIP over TLS; the transport is "
              + config.transport());
    }
    return secure;
  }

  private static boolean isSips(SipUri uri) {
    return uri != null && "sips".equalsIgnoreCase(uri.scheme());
  }

  /** The pre-loaded Route to an outbound proxy: its URI with {@code ;lr}. */
  RouteHeader route(SipUri proxy) throws ParseException {
    SipURI uri = (SipURI) uri(proxy);
    uri.setLrParam();
    return headers().createRouteHeader(addresses().createAddress(uri));
  }

  /**
   * An out-of-dialog request with the headers RFC 3261 §8.1.1 requires, our Via toward {@code
   * localHost}, User-Agent and, with an outbound proxy, its Route.
   */
  Request request(
      String method,
      URI requestUri,
      FromHeader from,
      ToHeader to,
      String callId,
      long cseq,
      String localHost,
      SipUri outboundProxy)
      throws ParseException, InvalidArgumentException {
    CallIdHeader callIdHeader = headers().createCallIdHeader(callId);
    CSeqHeader cseqHeader = headers().createCSeqHeader(cseq, method);
    MaxForwardsHeader maxForwards = headers().createMaxForwardsHeader(70);
    Request request =
        messages()
            .createRequest(
                requestUri,
                method,
                callIdHeader,
                cseqHeader,
                from,
                to,
                List.of(via(localHost)),
                maxForwards);
    if (outboundProxy != null) {
      request.addHeader(route(outboundProxy));
    }
    request.addHeader(userAgent());
    return request;
  }
}

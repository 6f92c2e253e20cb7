package org.sipline.backend.jainsip;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.sipline.backend.jainsip.dns.SipTarget;
import org.sipline.core.spi.Transport;

/**
 * The RI's router, told where a request goes once RFC 3263 location has chosen a target: an
 * out-of-dialog request (no To tag: INVITE, its CANCEL, REGISTER) whose Call-ID was pinned goes to
 * that numeric address; everything else is routed as the RI always does. Without it the RI would
 * resolve the Request-URI's (or Route's) host itself, inside {@code sendRequest} on the SIP thread
 * that every line shares.
 *
 * <p>The Request-URI and the Route stay as the caller asked: a proxy or carrier routes on the
 * domain it sees there ({@code sip:bob@carrier.example}), and a Route of our own naming the
 * resolved address would be visible to the next hop, which a UAS without loose routing misreads.
 *
 * <p>Public only because the RI instantiates it by name ({@code javax.sip.ROUTER_PATH}).
 */
public final class LocatedRouter extends DefaultRouter {
  private final Map<String, SipTarget> pinned = new ConcurrentHashMap<>();

  /**
   * For each TLS target ({@code address:port}, the address as {@link InetAddress} writes it): the
   * host it was located for. RFC 5922 §7 has the certificate name the host of the URI, which the
   * connection, given only the located address, cannot know by itself.
   */
  private final Map<String, String> tlsHosts = new ConcurrentHashMap<>();

  /**
   * The RI's constructor signature for a router.
   *
   * @param stack the stack that routes with it
   * @param outboundProxy the stack's {@code javax.sip.OUTBOUND_PROXY}, null here
   */
  public LocatedRouter(SipStack stack, String outboundProxy) {
    super(stack, outboundProxy);
  }

  /**
   * From now on the out-of-dialog requests of {@code callId} go to {@code target}, located for
   * {@code host}: a TLS connection to it verifies {@code host} in the certificate.
   */
  void pin(String callId, SipTarget target, String host) {
    pinned.put(callId, target);
    if (target.transport() == Transport.TLS) {
      tlsHosts.put(key(literal(target.address()), target.port()), host);
    }
  }

  /**
   * The host a TLS connection to {@code address:port} must find in the certificate, when a request
   * was pinned there; null otherwise (the address itself is then the name).
   */
  String tlsHost(InetAddress address, int port) {
    return tlsHosts.get(key(address, port));
  }

  private static String key(InetAddress address, int port) {
    return address.getHostAddress() + "|" + port;
  }

  /** A located target's numeric address; never a lookup (ServerLocator gives IP literals only). */
  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + address, e);
    }
  }

  /** Forgets {@code callId}'s target (the call or registration ended). */
  void unpin(String callId) {
    pinned.remove(callId);
  }

  /** How many Call-IDs are pinned: each ended call or registration must unpin its own. */
  int pinnedCount() {
    return pinned.size();
  }

  @Override
  public Hop getNextHop(Request request) throws SipException {
    ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
    CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
    if (to != null && to.getTag() == null && callId != null) {
      SipTarget target = pinned.get(callId.getCallId());
      if (target != null) {
        return new HopImpl(
            target.address(), target.port(), target.transport().name().toLowerCase(Locale.ROOT));
      }
    }
    return super.getNextHop(request);
  }
}

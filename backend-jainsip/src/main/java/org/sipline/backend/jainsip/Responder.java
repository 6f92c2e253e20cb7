package org.sipline.backend.jainsip;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends responses to requests through their server transactions, or statelessly for a request the
 * stack can make no transaction for or a stranger's (see {@link Strangers}).
 */
final class Responder {
  private static final Logger log = LoggerFactory.getLogger(Responder.class);
  private final SipContext ctx;

  /** Keys the To tags of stateless answers, so that no one can tell them in advance. */
  private final byte[] tagKey = new byte[16];

  Responder(SipContext ctx) {
    this.ctx = ctx;
    new SecureRandom().nextBytes(tagKey);
  }

  /**
   * The server transaction of {@code event}, made now when the stack delivered none; null for a
   * retransmission whose transaction already exists (the stack answers it by itself), or when the
   * stack can make none (then {@link #respond} answers statelessly).
   */
  ServerTransaction serverTransaction(RequestEvent event) {
    try {
      return serverTransactionOrRefusal(event);
    } catch (TransactionUnavailableException e) {
      log.warn("{}: no server transaction: {}", SipLog.request(event.getRequest()), e.getMessage());
      return null;
    }
  }

  /**
   * Like {@link #serverTransaction}, but says why when the stack can make none for the request (it
   * lacks a header the RI insists on): the request is then to be answered statelessly.
   */
  ServerTransaction serverTransactionOrRefusal(RequestEvent event)
      throws TransactionUnavailableException {
    ServerTransaction tx = event.getServerTransaction();
    if (tx != null) {
      return tx;
    }
    try {
      return newTransaction(event.getRequest());
    } catch (TransactionAlreadyExistsException e) {
      log.debug("{}: retransmission", SipLog.request(event.getRequest()));
      return null;
    }
  }

  private ServerTransaction newTransaction(Request request)
      throws TransactionAlreadyExistsException, TransactionUnavailableException {
    if (request.getHeader(MaxForwardsHeader.NAME) == null) {
      // RFC 2543 clients send no Max-Forwards, and the RI makes no transaction without one
      // (RFC 4475 §3.4.1). Only proxies act on it (RFC 3261 §16.3); a UAS ignores it (§8.2), so
      // the default value changes nothing of what this request asks.
      try {
        request.addHeader(ctx.headers().createMaxForwardsHeader(70));
      } catch (javax.sip.InvalidArgumentException e) {
        throw new IllegalStateException("Max-Forwards 70", e);
      }
    }
    return ctx.provider().getNewServerTransaction(request);
  }

  /** A response to {@code request} with our Server header. */
  Response response(Request request, int code) {
    try {
      Response response = ctx.messages().createResponse(code, request);
      response.addHeader(ctx.parsed.header("Server", ctx.config.userAgent()));
      return response;
    } catch (ParseException e) {
      throw new IllegalStateException("cannot build a " + code + " response", e);
    }
  }

  /** Answers {@code event}'s request with {@code code} and {@code headers}; false if not sent. */
  boolean respond(RequestEvent event, int code, Header... headers) {
    Request request = event.getRequest();
    ServerTransaction tx;
    try {
      tx = serverTransactionOrRefusal(event);
      if (tx == null) {
        return false;
      }
    } catch (TransactionUnavailableException e) {
      log.info(
          "{}: no server transaction ({}), answering statelessly",
          SipLog.request(request),
          e.getMessage());
      tx = null;
    }
    Response response = response(request, code);
    for (Header h : headers) {
      response.addHeader(h);
    }
    return tx == null ? sendStatelessly(request, response) : send(tx, response);
  }

  /**
   * Answers {@code request} with {@code code} and {@code headers} without a transaction, so that
   * nothing of the request outlives this call (RFC 3261 §8.2.7): for a stranger's requests, which
   * must not be able to make us hold state. A retransmission of the request is answered again the
   * same way, with the same To tag; an ACK to a non-2xx answer finds no transaction and no call,
   * and is dropped.
   */
  boolean respondStatelessly(Request request, int code, Header... headers) {
    Response response = response(request, code);
    for (Header h : headers) {
      response.addHeader(h);
    }
    // Its caller logs what it refuses, rate-limited (see Strangers): here only at debug.
    return sendStatelessly(request, response, false);
  }

  /**
   * Sends {@code response} to {@code request} without a transaction, for a request the stack can
   * hold none for or should hold none for (see {@link #respondStatelessly}). It is still owed an
   * answer (RFC 3261 §8.2); it goes out once, and a retransmission of the request is answered again
   * the same way.
   */
  boolean sendStatelessly(Request request, Response response) {
    return sendStatelessly(request, response, true);
  }

  private boolean sendStatelessly(Request request, Response response, boolean logSent) {
    tagTo(request, response);
    if (request instanceof SIPRequest r
        && r.getMessageChannel() instanceof ConnectionOrientedMessageChannel connection) {
      // On TCP and TLS the answer goes back on the connection the request came on (RFC 3261
      // §18.2.2), whatever its Via says: that is the source, and the channel is this
      // connection's alone (a UDP channel is shared by every datagram, so it can't be used here).
      try {
        connection.sendMessage((SIPResponse) response);
        logSent(logSent, request, response);
        return true;
      } catch (java.io.IOException e) {
        log.warn(
            "{}: cannot send {} on its connection: {}",
            SipLog.request(request),
            SipLog.status(response),
            e.getMessage());
        return false;
      }
    }
    String elsewhere = elsewhere(request);
    if (elsewhere != null) {
      // With no transaction the RI answers where the top Via says (RFC 3261 §18.2.2). We
      // answer only when that is the address and port the request came from, so a request
      // without a transaction can't aim our answer at a third party.
      if (logSent) {
        log.info(
            "{}: {} not sent: its Via points {}",
            SipLog.request(request),
            SipLog.status(response),
            elsewhere);
      } else {
        log.debug(
            "{}: {} not sent: its Via points {}",
            SipLog.request(request),
            SipLog.status(response),
            elsewhere);
      }
      return false;
    }
    try {
      ctx.provider().sendResponse(response);
      logSent(logSent, request, response);
      return true;
    } catch (javax.sip.SipException e) {
      log.warn(
          "{}: cannot send {}: {}",
          SipLog.request(request),
          SipLog.status(response),
          e.getMessage());
      return false;
    }
  }

  private static void logSent(boolean info, Request request, Response response) {
    if (info) {
      log.info("{}: {} (stateless)", SipLog.request(request), SipLog.status(response));
    } else {
      log.debug("{}: {} (stateless)", SipLog.request(request), SipLog.status(response));
    }
  }

  /**
   * Gives a stateless answer the To tag a UAS owes (RFC 3261 §8.2.6.2) when the request had none.
   * Without a transaction to remember it, the tag is derived from what every copy of the request
   * shares (Call-ID, From tag, top Via branch, CSeq), keyed by a secret of ours: the same request
   * always gets the same tag (§8.2.7), and no one can predict it.
   */
  private void tagTo(Request request, Response response) {
    ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
    if (to == null || to.getTag() != null || response.getStatusCode() == Response.TRYING) {
      return;
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
    digest.update(tagKey);
    ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
    CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
    String identity =
        Requests.callId(request)
            + '\n'
            + Requests.fromTag(request)
            + '\n'
            + (via == null ? "" : via.getBranch())
            + '\n'
            + (cseq == null ? "" : cseq.getSeqNumber() + " " + cseq.getMethod());
    byte[] hash = digest.digest(identity.getBytes(StandardCharsets.UTF_8));
    try {
      to.setTag(HexFormat.of().formatHex(hash, 0, 8));
    } catch (ParseException e) {
      throw new IllegalStateException("hex digits make a token", e);
    }
  }

  /**
   * Where the RI would send a stateless response to {@code request} (the top Via's received or
   * sent-by host, rport or port, transport) when that is not the packet's source; else null.
   */
  private static String elsewhere(Request request) {
    if (!(request instanceof SIPRequest m) || m.getTopmostVia() == null) {
      return "nowhere";
    }
    Via via = m.getTopmostVia();
    String host = via.getReceived() != null ? via.getReceived() : via.getHost();
    int port = via.getRPort() > 0 ? via.getRPort() : via.getPort();
    if (port <= 0) {
      port = via.getTransport().equalsIgnoreCase("TLS") ? 5061 : 5060;
    }
    InetAddress source = m.getPeerPacketSourceAddress();
    int sourcePort = m.getPeerPacketSourcePort();
    String unbracketed =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      if (source != null
          && LiteralAddress.parse(unbracketed).equals(source)
          && port == sourcePort) {
        return null;
      }
    } catch (IllegalArgumentException e) {
      // a host name: not the source as far as we are concerned
    }
    return "to "
        + host
        + ":"
        + port
        + "/"
        + via.getTransport()
        + ", not to its source "
        + (source == null ? "?" : source.getHostAddress())
        + ":"
        + sourcePort;
  }

  /** Sends {@code response} on {@code tx}; false (and logged) when the stack refuses. */
  boolean send(ServerTransaction tx, Response response) {
    Request request = tx.getRequest();
    try {
      tx.sendResponse(response);
      if (response.getStatusCode() >= 300) {
        log.info("{}: {}", SipLog.request(request), SipLog.status(response));
      } else {
        log.debug("{}: {}", SipLog.request(request), SipLog.status(response));
      }
      return true;
    } catch (javax.sip.SipException | javax.sip.InvalidArgumentException e) {
      log.warn(
          "{}: cannot send {}: {}",
          SipLog.request(request),
          SipLog.status(response),
          e.getMessage());
      return false;
    }
  }
}

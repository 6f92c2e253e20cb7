package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.spi.IncomingCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a new INVITE goes: 403 from a stranger (see {@link org.sipline.core.spi.TrustedSources}),
 * sent statelessly (see {@link Strangers}); else to the account whose user the Request-URI (else
 * the To) names; 404 when none, 486 when that account is in a call, 482 for a second copy of a
 * request we are already handling, 415/400 for a body we can't read, 488 with a Warning for an SDP
 * we read but won't take (see {@link UnacceptableSdp}).
 */
final class IncomingInvites {
  private static final Logger log = LoggerFactory.getLogger(IncomingInvites.class);

  private final SipContext ctx;
  private final Collection<JainSipAccount> accounts;
  private final Strangers strangers;

  IncomingInvites(SipContext ctx, Collection<JainSipAccount> accounts, Strangers strangers) {
    this.ctx = ctx;
    this.accounts = accounts;
    this.strangers = strangers;
  }

  void receive(RequestEvent event) {
    Request request = event.getRequest();
    // Before the transaction, so that a stranger leaves nothing behind (see Strangers), and
    // before looking for the account, so that a stranger learns nothing about which exist.
    if (strangers.sent(request)) {
      strangers.refused(request, Response.FORBIDDEN);
      ctx.responder.respondStatelessly(request, Response.FORBIDDEN);
      return;
    }
    ServerTransaction tx;
    String noTransaction = null;
    try {
      tx = ctx.responder.serverTransactionOrRefusal(event);
      if (tx == null) {
        return;
      }
    } catch (javax.sip.TransactionUnavailableException e) {
      // An RFC 2543 INVITE (RFC 4475 §3.4.1) may lack what the RI wants for a transaction, a
      // Contact above all. It is still answered, statelessly; without a Contact there is no
      // dialog to hold, so where it would ring it gets 400 saying what is missing.
      tx = null;
      noTransaction = e.getMessage();
    }
    JainSipAccount account = accountFor(request);
    if (account == null) {
      reply(request, tx, Response.NOT_FOUND, null);
      return;
    }
    String callId = Requests.callId(request);
    if (ctx.calls.findIncoming(callId, Requests.fromTag(request)) != null) {
      // RFC 3261 §8.2.2.2: the same request again by another path (a fork to us twice).
      reply(request, tx, Response.LOOP_DETECTED, null);
      return;
    }
    if (account.hasCallInProgress()) {
      reply(request, tx, Response.BUSY_HERE, "Busy Here");
      return;
    }
    IncomingCall caller;
    try {
      caller = Requests.incomingCall(request, account.spec().aor());
    } catch (InvalidArgumentException e) {
      // The same answer the pjsip backend gives: a caller we cannot name is not rung.
      log.warn("{}: From unusable ({}), answering 400", SipLog.request(request), e.getMessage());
      reply(request, tx, Response.BAD_REQUEST, "Bad From");
      return;
    }
    int least = SessionTimer.tooBrief(request, ctx.config);
    if (least > 0) {
      // RFC 4028 §8.1: too brief an interval is refused naming the least we take.
      log.info("{}: 422, Session-Expires below our Min-SE {}", SipLog.request(request), least);
      reply(
          request,
          tx,
          SessionInterval.TOO_SMALL,
          null,
          SessionInterval.minSeHeader(ctx.headers(), least));
      return;
    }
    SessionDescription offer;
    try {
      offer = offer(request);
      if (offer != null) {
        // Refused before the line rings: an offer SRTP rules out (--srtp) cannot be answered.
        LocalSdp.planFor(offer, ctx.config.srtp(), ctx.options.codecs());
      }
    } catch (UnsupportedMediaType e) {
      reply(request, tx, Response.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
      return;
    } catch (UnacceptableSdp e) {
      log.warn("{}: SDP offer not acceptable: {}", SipLog.request(request), e.getMessage());
      reply(request, tx, Response.NOT_ACCEPTABLE_HERE, null, e.warning(ctx.headers()));
      return;
    } catch (IllegalArgumentException e) {
      log.warn("{}: unreadable SDP offer: {}", SipLog.request(request), e.getMessage());
      reply(request, tx, Response.BAD_REQUEST, null);
      return;
    }
    String localHost;
    String sender = Requests.sourceHost(request);
    try {
      if (sender == null) {
        throw new java.io.IOException("the sender's address is unknown");
      }
      localHost = ctx.localHostToward(sender);
    } catch (java.io.IOException e) {
      log.warn("{}: no route back to the caller: {}", SipLog.request(request), e.getMessage());
      reply(request, tx, Response.SERVER_INTERNAL_ERROR, null);
      return;
    }
    if (tx == null) {
      reply(request, null, Response.BAD_REQUEST, "Bad Request (" + noTransaction + ")");
      return;
    }
    IncomingSipCall call = new IncomingSipCall(ctx, account, tx, offer, localHost, caller);
    ctx.calls.add(call);
    account.added(call);
    call.ring();
  }

  /** The account the request is for: its user in the Request-URI, else in the To. */
  private JainSipAccount accountFor(Request request) {
    String user = request.getRequestURI() instanceof SipURI uri ? uri.getUser() : null;
    ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
    SipURI toUri = to.getAddress().getURI() instanceof SipURI u ? u : null;
    JainSipAccount match = matching(user, toUri);
    if (match == null && toUri != null && toUri.getUser() != null) {
      match = matching(toUri.getUser(), toUri);
    }
    return match;
  }

  /** The account with {@code user}; among several, the one whose domain the To names. */
  private JainSipAccount matching(String user, SipURI to) {
    if (user == null) {
      return null;
    }
    JainSipAccount first = null;
    for (JainSipAccount a : accounts) {
      if (!user.equals(a.contactUser())) {
        continue;
      }
      if (to != null && to.getHost().equalsIgnoreCase(a.spec().aor().host())) {
        return a;
      }
      if (first == null) {
        first = a;
      }
    }
    return first;
  }

  private static SessionDescription offer(Request request) {
    byte[] body = request.getRawContent();
    if (body == null || body.length == 0) {
      return null;
    }
    ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    if (type == null
        || !type.getContentType().equalsIgnoreCase("application")
        || !type.getContentSubType().equalsIgnoreCase("sdp")) {
      throw new UnsupportedMediaType(
          "body is "
              + (type == null ? "untyped" : type.getContentType() + "/" + type.getContentSubType())
              + ", not application/sdp");
    }
    if (body.length > SessionDescription.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "length " + body.length + " > " + SessionDescription.MAX_LENGTH);
    }
    return SessionDescription.parse(new String(body, StandardCharsets.UTF_8));
  }

  /** Answers on {@code tx}, or statelessly when the stack could make none (null). */
  private void reply(
      Request request, ServerTransaction tx, int code, String reason, Header... headers) {
    Response response = ctx.responder.response(request, code);
    for (Header h : headers) {
      response.addHeader(h);
    }
    try {
      if (reason != null) {
        response.setReasonPhrase(reason);
      }
      if (code == Response.UNSUPPORTED_MEDIA_TYPE) {
        response.addHeader(ctx.headers().createAcceptHeader("application", "sdp"));
      }
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("cannot write a " + code + " response", e);
    }
    if (tx == null) {
      ctx.responder.sendStatelessly(request, response);
    } else {
      ctx.responder.send(tx, response);
    }
  }

  private static final class UnsupportedMediaType extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsupportedMediaType(String message) {
      super(message);
    }
  }
}

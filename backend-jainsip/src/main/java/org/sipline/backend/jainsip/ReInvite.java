package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A re-INVITE or UPDATE (RFC 3311) in a connected call: a hold or resume, a moved peer, another
 * codec, a session refresh (RFC 4028), or several at once. An offer is answered with the first of
 * PCMU/PCMA it lists, and what it says is applied to the media path: the address, the codec,
 * telephone-event, and the direction (RFC 3264 §8.4: while the far end holds the call with sendonly
 * or inactive, we send nothing and answer recvonly or inactive). A re-INVITE without SDP gets our
 * offer in the 200 OK, and its ACK's answer is applied. An offer crossing one of ours gets 491 (RFC
 * 3261 §14.2, RFC 3311 §5.2); an interval below our Min-SE 422; an offer without PCMU or PCMA 488,
 * and the call goes on as it was.
 */
final class ReInvite {
  private static final Logger log = LoggerFactory.getLogger(ReInvite.class);

  private ReInvite() {}

  static void answer(JainSipCall call, RequestEvent event) {
    SipContext ctx = call.ctx;
    Request request = event.getRequest();
    boolean invite = request.getMethod().equals(Request.INVITE);
    byte[] raw = request.getRawContent();
    boolean offered = raw != null && raw.length > 0;
    if (call.state() != CallState.CONNECTED || call.localSdp == null || call.plan == null) {
      // RFC 3261 §14.2: a re-INVITE before the call is up (or while it ends).
      ctx.responder.respond(event, Response.REQUEST_PENDING);
      return;
    }
    if ((offered || invite) && (call.offerPending || call.answerInAck)) {
      // Glare: our offer waits for its answer. RFC 3261 §14.2 / RFC 3311 §5.2.
      log.info("{}: 491, our own offer is pending", SipLog.request(request));
      ctx.responder.respond(event, Response.REQUEST_PENDING);
      return;
    }
    int least = SessionTimer.tooBrief(request, ctx.config);
    if (least > 0) {
      log.info("{}: 422, Session-Expires below our Min-SE {}", SipLog.request(request), least);
      ctx.responder.respond(
          event, SessionInterval.TOO_SMALL, SessionInterval.minSeHeader(ctx.headers(), least));
      return;
    }
    ServerTransaction tx = ctx.responder.serverTransaction(event);
    if (tx == null) {
      return;
    }
    String body = null;
    if (!offered) {
      if (invite) {
        // No offer: we offer again what runs now; the ACK carries the answer.
        body = call.localSdp.offer();
        call.answerInAck = true;
      }
    } else {
      SessionDescription offer;
      try {
        offer = SessionDescription.parse(new String(raw, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        log.warn("{}: unusable SDP: {}", SipLog.request(request), e.getMessage());
        Response refusal = ctx.responder.response(request, Response.NOT_ACCEPTABLE_HERE);
        if (e instanceof UnacceptableSdp unacceptable) {
          refusal.addHeader(unacceptable.warning(ctx.headers()));
        }
        ctx.responder.send(tx, refusal);
        return;
      }
      MediaPlan plan;
      try {
        plan = LocalSdp.planFor(offer, ctx.config.srtp(), call.midCallCodecs());
      } catch (UnacceptableSdp e) {
        log.warn("{}: offer not acceptable: {}", SipLog.request(request), e.getMessage());
        Response refusal = ctx.responder.response(request, Response.NOT_ACCEPTABLE_HERE);
        refusal.addHeader(e.warning(ctx.headers()));
        ctx.responder.send(tx, refusal);
        return;
      }
      if (plan == null) {
        log.warn(
            "{}: the offer has none of the codecs this call can switch to ({})",
            SipLog.request(request),
            call.midCallCodecs());
        ctx.responder.send(tx, ctx.responder.response(request, Response.NOT_ACCEPTABLE_HERE));
        return;
      }
      call.applyPlan(plan, request.getMethod());
      body = call.localSdp.answer(offer, plan);
    }
    Response ok = ctx.responder.response(request, Response.OK);
    SessionInterval interval = SessionTimer.answer(request, ctx.config);
    try {
      ok.addHeader(ctx.contact(call.account.contactUser(), call.localHost()));
      SessionTimer.addToAnswer(ctx, request, ok, interval);
      if (body != null) {
        ok.setContent(body, ctx.headers().createContentTypeHeader("application", "sdp"));
      }
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("cannot write the " + request.getMethod() + "'s 200 OK", e);
    }
    if (ctx.responder.send(tx, ok)) {
      // The 2xx refreshes the session (RFC 4028 §9), and may move the refresher.
      call.sessionTimer.answered(interval);
    }
  }
}

package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A re-INVITE in a connected call (hold, a moved peer, a session refresh). The media path keeps its
 * codec for the whole call, so an offer is accepted when it still carries that codec; the peer's
 * new address and its telephone-event payload type (a new number, added, or gone) are applied, so
 * DTMF follows the SDP in force. Anything else gets 488, and the call goes on as it was.
 */
final class ReInvite {
  private static final Logger log = LoggerFactory.getLogger(ReInvite.class);

  private ReInvite() {}

  static void answer(JainSipCall call, RequestEvent event) {
    SipContext ctx = call.ctx;
    Request request = event.getRequest();
    if (call.state() != CallState.CONNECTED || call.localSdp == null || call.plan == null) {
      // RFC 3261 §14.2: a re-INVITE while ours is pending, or before the call is up.
      ctx.responder.respond(event, Response.REQUEST_PENDING);
      return;
    }
    ServerTransaction tx = ctx.responder.serverTransaction(event);
    if (tx == null) {
      return;
    }
    String body;
    byte[] raw = request.getRawContent();
    if (raw == null || raw.length == 0) {
      // No offer: we offer again what runs now; the ACK carries the answer.
      body = call.localSdp.offer();
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
      MediaPlan plan = LocalSdp.planFor(offer);
      if (plan == null || plan.payloadType() != call.plan.payloadType()) {
        log.warn(
            "{}: the offer drops {}, which the call runs on",
            SipLog.request(request),
            call.plan.codecName());
        ctx.responder.send(tx, ctx.responder.response(request, Response.NOT_ACCEPTABLE_HERE));
        return;
      }
      call.rtp.updateRemote(plan.remote());
      call.rtp.updateTelephoneEvent(plan.telephoneEvent());
      if (plan.telephoneEvent() != call.plan.telephoneEvent()) {
        log.info(
            "{}: telephone-event {} -> {}",
            SipLog.request(request),
            call.plan.telephoneEvent(),
            plan.telephoneEvent());
      }
      // What DTMF is sent by (RFC 4733 or INFO) follows the plan in force.
      call.plan = plan;
      body = call.localSdp.answer(offer, plan);
    }
    Response ok = ctx.responder.response(request, Response.OK);
    try {
      ok.addHeader(ctx.contact(call.account.contactUser(), call.localHost()));
      ok.setContent(body, ctx.headers().createContentTypeHeader("application", "sdp"));
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("cannot write the re-INVITE's 200 OK", e);
    }
    ctx.responder.send(tx, ok);
  }
}

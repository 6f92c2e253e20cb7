package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call that reached one of our accounts: 100 Trying and 180 Ringing at once, then the core
 * decides. {@link #answer} sends 200 OK with our SDP answer (488 when nothing is in common) and the
 * call is up when the caller's ACK comes, within the transaction timeout. The caller's CANCEL
 * before that is answered 200, the INVITE 487, and the call failed.
 */
final class IncomingSipCall extends JainSipCall {
  private static final Logger log = LoggerFactory.getLogger(IncomingSipCall.class);

  private final ServerTransaction invite;
  private final SessionDescription offer;
  private final String localHost;
  private final String localTag;
  private final String remoteTag;
  private final IncomingCall info;
  private final SessionInterval sessionInterval;
  private CallMedia answerMedia;
  private boolean byeOnAck;
  private SipExecutor.Timer ackDeadline = SipExecutor.Timer.NONE;

  IncomingSipCall(
      SipContext ctx,
      JainSipAccount account,
      ServerTransaction invite,
      SessionDescription offer,
      String localHost,
      IncomingCall info) {
    super(ctx, account, Requests.callId(invite.getRequest()), info.caller(), CallState.RINGING);
    this.invite = invite;
    this.offer = offer;
    this.localHost = localHost;
    this.localTag = ctx.token(6);
    this.remoteTag = Requests.fromTag(invite.getRequest());
    this.info = info;
    this.dialog = invite.getDialog();
    this.sessionInterval = SessionTimer.answer(invite.getRequest(), ctx.config);
    this.peerAllowsUpdate = SessionInterval.allows(invite.getRequest(), Request.UPDATE);
  }

  @Override
  public boolean isIncoming() {
    return true;
  }

  @Override
  String localTag() {
    return localTag;
  }

  /** The caller's From tag. */
  String remoteTag() {
    return remoteTag;
  }

  @Override
  String localHost() {
    return localHost;
  }

  @Override
  CallMedia callMedia() {
    return answerMedia;
  }

  @Override
  void forgetMedia() {
    answerMedia = null;
  }

  /** Rings and tells the core. */
  void ring() {
    log.info(
        "{} from {}: ringing for {}",
        SipLog.request(invite.getRequest()),
        remote(),
        account.spec().accountName());
    respond(Response.TRYING, null);
    if (!respond(Response.RINGING, null)) {
      moveTo(CallState.ENDED);
      failed(SipFailure.noResponse("cannot send 180 Ringing to " + remote()));
      return;
    }
    emit(() -> account.listener().incomingCall(this, info));
  }

  // ---- the API --------------------------------------------------------------------------

  @Override
  public void answer(CallMedia media) {
    Objects.requireNonNull(media, "media");
    requireRinging("answer()");
    ctx.executor.execute(() -> onAnswer(media));
  }

  @Override
  public void reject(int statusCode, String reason) {
    if (statusCode < 300 || statusCode > 699) {
      throw new IllegalArgumentException(
          "reject() needs a final error code 300..699, not " + statusCode);
    }
    Objects.requireNonNull(reason, "reason");
    requireRinging("reject()");
    ctx.executor.execute(
        () -> {
          if (state() == CallState.RINGING && !isOver()) {
            decline(statusCode, reason);
          }
        });
  }

  private void requireRinging(String what) {
    CallState s = state();
    if (s != CallState.RINGING || isOver()) {
      throw new IllegalStateException(
          what
              + " needs a ringing incoming call; Call-ID "
              + callId()
              + " is "
              + (isOver() ? "over" : s));
    }
  }

  // ---- on the executor --------------------------------------------------------------------

  private void onAnswer(CallMedia media) {
    if (state() != CallState.RINGING || isOver()) {
      return;
    }
    MediaPlan agreed = null;
    if (offer != null) {
      try {
        agreed = LocalSdp.planFor(offer, ctx.config.srtp(), ctx.options.codecs());
      } catch (UnacceptableSdp e) {
        // IncomingInvites refused such an offer before ringing; kept for safety's sake.
        decline(Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here (" + e.getMessage() + ")");
        return;
      }
      if (agreed == null) {
        decline(Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here");
        return;
      }
    }
    String body;
    try {
      rtp = ctx.rtp.allocate(ctx.executor::execute);
      localSdp =
          new LocalSdp(
              localHost,
              rtp.localPort(),
              ctx.random.nextInt(1 << 30),
              ctx.config.srtp(),
              ctx.random,
              ctx.options.codecs());
      body = offer != null ? localSdp.answer(offer, agreed) : localSdp.offer();
    } catch (Exception e) {
      respond(Response.SERVICE_UNAVAILABLE, null);
      moveTo(CallState.ENDED);
      failed(SipFailure.exception("cannot answer: " + e.getMessage(), e));
      return;
    }
    answerMedia = media;
    if (agreed != null) {
      // RTP may flow the moment the 200 OK reaches the caller, before its ACK: be ready for it,
      // since whatever reaches our port before the media starts is discarded as early media.
      plan = agreed;
      startMedia(media);
    }
    if (!respond(Response.OK, body)) {
      moveTo(CallState.ENDED);
      failed(SipFailure.noResponse("cannot send 200 OK to " + remote()));
      return;
    }
    moveTo(CallState.ANSWERING);
    ackDeadline = ctx.executor.schedule(ctx.config.transactionTimeout(), this::noAck);
  }

  private void decline(int code, String reason) {
    respond(code, null, reason);
    moveTo(CallState.ENDED);
    failed(SipFailure.response(code, reason));
  }

  @Override
  void onAck(RequestEvent event) {
    if (state() != CallState.ANSWERING) {
      super.onAck(event);
      return;
    }
    ackDeadline.cancel();
    if (plan == null) {
      try {
        plan = planInAck(event.getRequest(), ctx.config.srtp());
      } catch (IllegalArgumentException e) {
        log.warn(
            "{}: unusable SDP answer, sending BYE: {}",
            SipLog.request(event.getRequest()),
            e.getMessage());
        sendBye(Outcome.IGNORE);
        failed(
            SipFailure.response(
                Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here (" + e.getMessage() + ")"));
        return;
      }
      startMedia(answerMedia);
    }
    moveTo(CallState.CONNECTED);
    if (byeOnAck) {
      sendBye(Outcome.IGNORE);
      failed(SipFailure.noResponse("hung up before the caller's ACK"));
      return;
    }
    sessionTimer.answered(sessionInterval);
    connected();
  }

  /** The plan the ACK's SDP answer agrees to; refused naming what makes it unusable. */
  private MediaPlan planInAck(Request ack, org.sipline.core.spi.SrtpMode srtp) {
    byte[] body = ack.getRawContent();
    if (body == null || body.length == 0) {
      throw new IllegalArgumentException("the ACK has no SDP answer");
    }
    MediaPlan plan =
        LocalSdp.planFromAnswer(
            SessionDescription.parse(new String(body, StandardCharsets.UTF_8)),
            srtp,
            ctx.options.codecs());
    if (plan == null) {
      throw new IllegalArgumentException(
          "the ACK's answer has none of our codecs (" + ctx.options.codecs() + ")");
    }
    return plan;
  }

  private void noAck() {
    if (state() != CallState.ANSWERING) {
      return;
    }
    String what = "no ACK for our 200 OK within " + Durations.text(ctx.config.transactionTimeout());
    log.warn("Call-ID {}: {}", callId(), what);
    sendBye(Outcome.IGNORE);
    failed(SipFailure.noResponse(what));
  }

  @Override
  void onCancel(RequestEvent event) {
    ctx.responder.respond(event, Response.OK);
    if (state() != CallState.RINGING) {
      return; // our 200 OK went out first; the caller will BYE
    }
    respond(Response.REQUEST_TERMINATED, null);
    moveTo(CallState.ENDED);
    failed(
        SipFailure.response(Response.REQUEST_TERMINATED, "Request Terminated (caller cancelled)"));
  }

  @Override
  void onHangup() {
    switch (state()) {
      case RINGING -> decline(Response.DECLINE, "Decline");
      case ANSWERING -> byeOnAck = true; // RFC 3261 §15: no BYE before the ACK
      case CONNECTED ->
          sendBye(
              (code, reason) -> ended(CallEnd.LOCAL_BYE, code > 0 ? code + " " + reason : reason));
      default -> {}
    }
  }

  @Override
  void abandon() {
    switch (state()) {
      case RINGING -> {
        respond(Response.DECLINE, null);
        moveTo(CallState.ENDED);
      }
      case ANSWERING -> byeOnAck = true;
      case CONNECTED -> sendBye(Outcome.IGNORE);
      default -> {}
    }
  }

  private boolean respond(int code, String sdp) {
    return respond(code, sdp, null);
  }

  /** A response on the INVITE: with our To tag and Contact, and {@code sdp} as body if any. */
  private boolean respond(int code, String sdp, String reason) {
    Response response = ctx.responder.response(invite.getRequest(), code);
    try {
      if (reason != null) {
        response.setReasonPhrase(reason);
      }
      if (code > 100) {
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(localTag);
      }
      if (code > 100 && code < 300) {
        response.addHeader(ctx.contact(account.contactUser(), localHost));
      }
      if (code == Response.OK) {
        response.addHeader(ctx.allow());
        SessionTimer.addToAnswer(ctx, invite.getRequest(), response, sessionInterval);
      }
      if (sdp != null) {
        response.setContent(sdp, ctx.headers().createContentTypeHeader("application", "sdp"));
      }
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("cannot write a " + code + " response", e);
    }
    return ctx.responder.send(invite, response);
  }
}

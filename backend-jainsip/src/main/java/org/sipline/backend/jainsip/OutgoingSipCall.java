package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ObjectInUseException;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.backend.jainsip.dns.SipTarget;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call we place: INVITE with our SDP offer and the extra headers, digest challenges answered with
 * a new CSeq on the same Call-ID, provisional responses reported, the 2xx ACKed (the stack ACKs
 * only the others) and its SDP answer applied. A hangup before the answer is a CANCEL, sent once a
 * provisional allows it; a 200 that crosses the CANCEL is ACKed and ended with BYE. The transaction
 * timeout bounds the wait for a final response.
 */
final class OutgoingSipCall extends JainSipCall {
  private static final Logger log = LoggerFactory.getLogger(OutgoingSipCall.class);

  private final List<Header> extraHeaders;
  private CallMedia media;
  private final String fromTag;
  private ClientTransaction invite;
  private String localHost;
  private long cseq = 1;

  /** The Session-Expires our INVITE asks for (0: none); raised by a 422's Min-SE. */
  private int sessionExpires;

  private int minSe;
  private int retries422;
  private int lastRinging;
  private boolean cancelWhenAllowed;
  private SipExecutor.Timer deadline = SipExecutor.Timer.NONE;

  /** The located targets still to try, the one in use first. */
  private List<SipTarget> targets = List.of();

  /** The host the targets were located for: the name a TLS next hop's certificate must carry. */
  private String locatedHost = "";

  /** Waiting for the location of the next hop: no INVITE sent yet. */
  private boolean locating;

  private SipExecutor.Timer lookupTimer = SipExecutor.Timer.NONE;

  /**
   * Completed on the SIP executor once {@link #start} has run: the INVITE out, or the lookup on.
   */
  private final CompletableFuture<Void> inviteHandled = new CompletableFuture<>();

  OutgoingSipCall(
      SipContext ctx,
      JainSipAccount account,
      SipUri target,
      List<Header> extraHeaders,
      CallMedia media) {
    super(ctx, account, ctx.token(16) + "@sipline", target, CallState.CALLING);
    this.extraHeaders = extraHeaders;
    this.media = media;
    this.fromTag = ctx.token(6);
    this.sessionExpires = SessionTimer.ourInterval(ctx.config);
    this.minSe = SessionTimer.ourMinSe(ctx.config);
  }

  @Override
  public boolean isIncoming() {
    return false;
  }

  @Override
  public CompletableFuture<Void> inviteHandled() {
    return inviteHandled;
  }

  @Override
  String localTag() {
    return fromTag;
  }

  @Override
  String localHost() {
    return localHost;
  }

  @Override
  CallMedia callMedia() {
    return media;
  }

  @Override
  void forgetMedia() {
    media = null;
  }

  /**
   * Allocates the RTP port, locates the next hop (RFC 3263) and sends the INVITE. A numeric host is
   * sent to at once; a name is looked up on the location threads and the INVITE goes when the
   * answer comes back to the SIP executor as an event ({@link #located}), or the call fails naming
   * the lookup after {@link SipContext#LOOKUP_BOUND}.
   */
  void start() {
    SipUri hop = SipContext.nextHop(remote(), account.spec().outboundProxy());
    locatedHost = hop.host();
    try {
      rtp = ctx.rtp.allocate(ctx.executor::execute);
    } catch (Exception e) {
      moveTo(CallState.ENDED);
      failed(
          SipFailure.exception("cannot place the call to " + remote() + ": " + e.getMessage(), e));
      return;
    }
    List<SipTarget> now = ctx.locations.immediate(hop, ctx.config.transport());
    if (now != null) {
      located(now);
      return;
    }
    locating = true;
    lookupTimer =
        ctx.executor.schedule(
            SipContext.LOOKUP_BOUND,
            () ->
                lookupFailed(
                    "DNS lookup of "
                        + hop.host()
                        + " timed out after "
                        + Durations.text(SipContext.LOOKUP_BOUND)));
    ctx.locations.locate(
        hop,
        ctx.config.transport(),
        SipContext.LOOKUP_BOUND,
        outcome ->
            ctx.executor.execute(
                () -> {
                  if (outcome.ok()) {
                    locatedLate(outcome.targets());
                  } else {
                    lookupFailed(outcome.failure());
                  }
                }));
  }

  /** The lookup's answer, unless the call gave up waiting (bound, hangup) meanwhile. */
  private void locatedLate(List<SipTarget> found) {
    if (!locating) {
      return;
    }
    locating = false;
    lookupTimer.cancel();
    located(found);
  }

  private void lookupFailed(String reason) {
    if (!locating) {
      return;
    }
    locating = false;
    lookupTimer.cancel();
    log.warn("INVITE {} Call-ID {}: {}", remote(), callId(), reason);
    moveTo(CallState.ENDED);
    failed(SipFailure.noResponse(reason));
  }

  /** Where to send found: our address toward the first target, the SDP offer, the INVITE. */
  private void located(List<SipTarget> found) {
    targets = new ArrayList<>(found);
    SipTarget first = targets.get(0);
    try {
      localHost = ctx.localHostToward(first.address());
      localSdp =
          new LocalSdp(
              localHost,
              rtp.localPort(),
              ctx.random.nextInt(1 << 30),
              ctx.config.srtp(),
              ctx.random,
              ctx.options.codecs());
    } catch (Exception e) {
      moveTo(CallState.ENDED);
      failed(
          SipFailure.exception("cannot place the call to " + remote() + ": " + e.getMessage(), e));
      return;
    }
    ctx.stack.router().pin(callId(), first, locatedHost);
    armDeadline("no answer within " + Durations.text(ctx.config.transactionTimeout()));
    send();
  }

  /**
   * RFC 3263 §4.3: after a timeout, a 503 or a transport error before any provisional response, the
   * request goes to the next target, in a new client transaction. False when none is left.
   */
  private boolean nextTarget(String why) {
    if (targets.size() < 2 || state() != CallState.CALLING || isOver()) {
      return false;
    }
    SipTarget failedTarget = targets.remove(0);
    SipTarget next = targets.get(0);
    log.info(
        "INVITE {} Call-ID {}: {} at {}; trying {}", remote(), callId(), why, failedTarget, next);
    terminate(invite);
    ctx.stack.router().pin(callId(), next, locatedHost);
    armDeadline("no answer within " + Durations.text(ctx.config.transactionTimeout()));
    send();
    return true;
  }

  private void send() {
    Request request;
    try {
      request = build();
    } catch (Exception e) {
      moveTo(CallState.ENDED);
      failed(
          SipFailure.exception(
              "cannot write the INVITE to " + remote() + ": " + e.getMessage(), e));
      return;
    }
    try {
      ClientTransaction tx = ctx.provider().getNewClientTransaction(request);
      tx.setApplicationData(new Handler(tx));
      invite = tx;
      tx.sendRequest();
      dialog = tx.getDialog();
      log.info("{} sent", SipLog.request(request));
    } catch (Exception e) {
      invite = null;
      if (nextTarget("cannot send: " + e.getMessage())) {
        return;
      }
      moveTo(CallState.ENDED);
      failed(
          TlsFailure.of(
              "cannot send " + SipLog.request(request),
              remote(),
              account.spec().outboundProxy(),
              e));
    }
  }

  private Request build() throws Exception {
    Address from = ctx.address(account.spec().aor());
    Address to = ctx.address(remote());
    FromHeader fromHeader = ctx.headers().createFromHeader(from, fromTag);
    ToHeader toHeader = ctx.headers().createToHeader(to, null);
    Request request =
        ctx.request(
            Request.INVITE,
            ctx.uri(remote()),
            fromHeader,
            toHeader,
            callId(),
            cseq++,
            localHost,
            account.spec().outboundProxy());
    request.addHeader(
        ctx.contact(account.contactUser(), localHost, ctx.secure(account.spec().aor(), remote())));
    request.addHeader(ctx.allow());
    for (Header h : SessionTimer.inviteHeaders(ctx, sessionExpires, minSe)) {
      request.addHeader(h);
    }
    ExtraHeaders.addTo(request, extraHeaders);
    request.setContent(
        localSdp.offer().getBytes(StandardCharsets.UTF_8),
        ctx.headers().createContentTypeHeader("application", "sdp"));
    auth.authorize(request, ctx.headers());
    return request;
  }

  private final class Handler implements ResponseHandler {
    private final ClientTransaction tx;

    Handler(ClientTransaction tx) {
      this.tx = tx;
    }

    @Override
    public void onResponse(ResponseEvent event) {
      Response response = event.getResponse();
      int code = response.getStatusCode();
      if (code >= 200 && code < 300) {
        // 2xx retransmissions and other forks belong to the call even after its transaction.
        answered(event);
        return;
      }
      if (tx != invite) {
        return;
      }
      if (code < 200) {
        provisional(response);
      } else if (code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED) {
        challenged(response);
      } else if (code == SessionInterval.TOO_SMALL && tooBrief(response)) {
        send();
      } else if (code == Response.SERVICE_UNAVAILABLE
          && nextTarget(code + " " + response.getReasonPhrase())) {
        return;
      } else {
        refused(response);
      }
    }

    @Override
    public void onStackTimeout() {
      if (tx != invite || state() == CallState.ENDED) {
        return;
      }
      if (nextTarget("no response (transaction timed out)")) {
        return;
      }
      moveTo(CallState.ENDED);
      failed(SipFailure.noResponse("no answer to INVITE " + remote() + " (transaction timed out)"));
    }
  }

  private void provisional(Response response) {
    if (state() == CallState.CALLING) {
      moveTo(CallState.PROCEEDING);
    }
    if (cancelWhenAllowed) {
      cancelWhenAllowed = false;
      sendCancel();
    }
    int code = response.getStatusCode();
    if (code > 100 && code != lastRinging && state() == CallState.PROCEEDING) {
      lastRinging = code;
      log.info("{}: {}", SipLog.request(invite.getRequest()), SipLog.status(response));
      emit(() -> account.listener().callRinging(this, code, response.getReasonPhrase()));
    }
  }

  private void challenged(Response response) {
    log.info("{}: {}", SipLog.request(invite.getRequest()), SipLog.status(response));
    if (state() == CallState.CANCELLING || isOver()) {
      // We no longer want this call: don't answer the challenge.
      deadline.cancel();
      moveTo(CallState.ENDED);
      failed(SipFailure.response(response.getStatusCode(), response.getReasonPhrase()));
      return;
    }
    String refusal = auth.challenged(response);
    if (refusal != null) {
      deadline.cancel();
      moveTo(CallState.ENDED);
      failed(
          SipFailure.response(
              response.getStatusCode(), response.getReasonPhrase() + " (" + refusal + ")"));
      return;
    }
    send();
  }

  /**
   * RFC 4028 §7.3: a 422 names the least interval the far end takes in Min-SE; the INVITE goes
   * again asking for that (with a new CSeq, as after a challenge). False when it names none above
   * what we asked, or we tried enough: then the 422 fails the call.
   */
  private boolean tooBrief(Response response) {
    int asked = SessionInterval.minSe(response);
    log.info(
        "{}: {} (Min-SE {})", SipLog.request(invite.getRequest()), SipLog.status(response), asked);
    if (state() == CallState.CANCELLING
        || isOver()
        || asked <= sessionExpires
        || retries422 >= SessionTimer.MAX_422_RETRIES) {
      return false;
    }
    retries422++;
    sessionExpires = asked;
    minSe = Math.max(minSe, asked);
    return true;
  }

  private void refused(Response response) {
    log.info("{}: {}", SipLog.request(invite.getRequest()), SipLog.status(response));
    deadline.cancel();
    moveTo(CallState.ENDED);
    failed(SipFailure.response(response.getStatusCode(), response.getReasonPhrase()));
  }

  private void answered(ResponseEvent event) {
    Response response = event.getResponse();
    Dialog answeredDialog = event.getDialog();
    if (answeredDialog == null) {
      return;
    }
    boolean first = dialog == null || dialog == answeredDialog;
    CallState s = state();
    if (!first || s == CallState.CONNECTED || s == CallState.HANGING_UP || s == CallState.ENDED) {
      if (first) {
        // A retransmitted 200: the stack re-sends our ACK itself once we have sent one.
        return;
      }
      // The stack matched it to our transaction: another fork's answer.
      endFork(event);
      return;
    }
    dialog = answeredDialog;
    deadline.cancel();
    log.info("{}: {}", SipLog.request(invite.getRequest()), SipLog.status(response));
    if (s == CallState.CANCELLING || isOver()) {
      // The 200 crossed our CANCEL (or came after we gave up): take it and end it at once.
      Dialogs.ack(ctx, dialog, response);
      sendBye(JainSipCall.Outcome.IGNORE);
      failed(
          SipFailure.noResponse(
              "cancelled; the 200 OK that crossed the CANCEL was ended" + " with BYE"));
      return;
    }
    MediaPlan agreed;
    try {
      agreed = answerPlan(response, ctx.config.srtp(), ctx.options.codecs());
    } catch (IllegalArgumentException e) {
      Dialogs.ack(ctx, dialog, response);
      log.warn(
          "{}: unusable SDP answer, sending BYE: {}",
          SipLog.request(invite.getRequest()),
          e.getMessage());
      sendBye(JainSipCall.Outcome.IGNORE);
      failed(
          SipFailure.response(
              Response.NOT_ACCEPTABLE_HERE, "Not Acceptable Here (" + e.getMessage() + ")"));
      return;
    }
    plan = agreed;
    // Media before the ACK: a peer may send RTP the moment the ACK reaches it, and whatever
    // reaches our port before the media starts is discarded as early media.
    startMedia(media);
    Dialogs.ack(ctx, dialog, response);
    moveTo(CallState.CONNECTED);
    peerAllowsUpdate = SessionInterval.allows(response, Request.UPDATE);
    sessionTimer.confirmed(response);
    connected();
  }

  /**
   * A 2xx to an INVITE with this call's Call-ID and From tag that no transaction of ours waits for:
   * a retransmission, or another fork answering (RFC 3261 §13.2.2.4), which is ACKed and ended with
   * BYE to its Contact. It must also carry the branch and CSeq of the INVITE we sent last, or it
   * answers nothing we asked: false then, and nothing is sent.
   */
  boolean onStray2xx(ResponseEvent event) {
    Response response = event.getResponse();
    ClientTransaction sent = invite;
    if (sent == null) {
      return false;
    }
    ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
    CSeqHeader cseqHeader = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
    long ourCseq = ((CSeqHeader) sent.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
    if (via == null
        || !sent.getBranchId().equalsIgnoreCase(via.getBranch())
        || cseqHeader.getSeqNumber() != ourCseq) {
      log.warn(
          "Call-ID {}: {} with branch {} CSeq {} answers no INVITE of ours (branch {}"
              + " CSeq {})",
          callId(),
          SipLog.status(response),
          via == null ? null : via.getBranch(),
          cseqHeader.getSeqNumber(),
          sent.getBranchId(),
          ourCseq);
      return false;
    }
    endFork(event);
    return true;
  }

  /** ACK and BYE for a dialog another fork of our INVITE made; nothing for our own dialog. */
  private void endFork(ResponseEvent event) {
    Dialog other = event.getDialog();
    if (other != null && other != dialog) {
      log.info(
          "Call-ID {}: {} from another fork ({}); ACK and BYE",
          callId(),
          SipLog.status(event.getResponse()),
          SipLog.sender(event));
      Dialogs.ackAndBye(ctx, other, event.getResponse());
    }
  }

  /** The plan the 2xx's SDP answer agrees to; refused naming what makes it unusable. */
  private static MediaPlan answerPlan(
      Response response, org.sipline.core.spi.SrtpMode srtp, CodecPreference codecs) {
    byte[] body = response.getRawContent();
    if (body == null || body.length == 0) {
      throw new IllegalArgumentException("the 200 OK has no SDP answer");
    }
    MediaPlan plan =
        LocalSdp.planFromAnswer(
            SessionDescription.parse(new String(body, StandardCharsets.UTF_8)), srtp, codecs);
    if (plan == null) {
      throw new IllegalArgumentException("the answer has none of our codecs (" + codecs + ")");
    }
    return plan;
  }

  @Override
  void onHangup() {
    if (locating) {
      lookupFailed("cancelled while the DNS lookup of the next hop was pending; no INVITE sent");
      return;
    }
    switch (state()) {
      case CALLING -> {
        // RFC 3261 §9.1: no CANCEL before a provisional response.
        cancelWhenAllowed = true;
        moveTo(CallState.CANCELLING);
      }
      case PROCEEDING -> {
        moveTo(CallState.CANCELLING);
        sendCancel();
      }
      case CONNECTED ->
          sendBye(
              (code, reason) -> ended(CallEnd.LOCAL_BYE, code > 0 ? code + " " + reason : reason));
      default -> {}
    }
  }

  @Override
  void abandon() {
    if (locating) {
      lookupFailed("abandoned while the DNS lookup of the next hop was pending; no INVITE sent");
      return;
    }
    switch (state()) {
      case CALLING -> {
        cancelWhenAllowed = true;
        moveTo(CallState.CANCELLING);
      }
      case PROCEEDING -> {
        moveTo(CallState.CANCELLING);
        sendCancel();
      }
      case CONNECTED -> sendBye(JainSipCall.Outcome.IGNORE);
      default -> {}
    }
  }

  private void sendCancel() {
    ClientTransaction tx = invite;
    if (tx == null) {
      return;
    }
    try {
      Request cancel = tx.createCancel();
      ClientTransaction cancelTx = ctx.provider().getNewClientTransaction(cancel);
      cancelTx.sendRequest();
      log.info("{} sent", SipLog.request(cancel));
    } catch (Exception e) {
      log.warn("Call-ID {}: cannot send CANCEL: {}", callId(), e.getMessage());
    }
    // The INVITE's final response (487, or a 200 that crossed) must come within the bound.
    armDeadline(
        "no final response after CANCEL within " + Durations.text(ctx.config.transactionTimeout()));
  }

  private void armDeadline(String reason) {
    deadline.cancel();
    deadline = ctx.executor.schedule(ctx.config.transactionTimeout(), () -> expired(reason));
  }

  /** No final response in time: CANCEL what can be cancelled and report the failure now. */
  private void expired(String reason) {
    if (state() == CallState.CALLING && nextTarget(reason)) {
      return;
    }
    switch (state()) {
      case CALLING, CANCELLING -> {
        terminate(invite);
        moveTo(CallState.ENDED);
      }
      case PROCEEDING -> {
        // sendCancel() bounds the wait for the 487 (or a crossing 200) in turn.
        moveTo(CallState.CANCELLING);
        sendCancel();
      }
      default -> {
        return;
      }
    }
    log.warn("INVITE {} Call-ID {}: {}", remote(), callId(), reason);
    failed(SipFailure.noResponse(reason));
  }

  private static void terminate(ClientTransaction tx) {
    if (tx == null) {
      return;
    }
    try {
      tx.terminate();
    } catch (ObjectInUseException e) {
      log.debug("cannot terminate {}", SipLog.request(tx.getRequest()), e);
    }
  }
}

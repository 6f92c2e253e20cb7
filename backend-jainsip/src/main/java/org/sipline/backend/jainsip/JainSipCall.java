package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipFailureException;
import org.sipline.core.spi.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What outgoing and incoming calls share: the dialog once it exists, the media, BYE in both
 * directions, the blind transfer, DTMF both ways (RFC 4733 in the RTP when negotiated, SIP INFO
 * otherwise), the media timeout, and the one place where the call's terminal event is sent. The
 * public methods check the state they are called in and queue the work onto the SIP executor;
 * everything else runs there.
 */
abstract class JainSipCall implements SipCall {
  private static final Logger log = LoggerFactory.getLogger(JainSipCall.class);

  static final int MIN_DTMF_MILLIS = 40;
  static final int MAX_DTMF_MILLIS = 2000;

  /** How long an ended call still absorbs late messages of its dialog (RFC 3261's 64×T1). */
  private static final Duration LINGER = Duration.ofSeconds(32);

  final SipContext ctx;
  final JainSipAccount account;
  private final String callId;
  private final SipUri remote;
  final DigestAuthenticator auth;

  /** Written on the SIP executor; volatile so the API's state checks see it. */
  private volatile CallState state;

  /** The codec's name once media runs, "" before; read by the API. */
  private volatile String codec = "";

  private final AtomicBoolean terminateRequested = new AtomicBoolean();
  private volatile boolean terminalSent;
  // The dialog's parts as they form; written and read on the SIP executor only.
  Dialog dialog;
  RtpSession rtp;
  LocalSdp localSdp;
  MediaPlan plan;
  private BlindTransfer transfer;
  private SipExecutor.Timer mediaWatch = SipExecutor.Timer.NONE;

  /** The confirmed dialog as a later process would need it; null before. Read by the API. */
  private volatile DialogRecord dialogRecord;

  /** RFC 4028's timer; off until the INVITE's 2xx (ours or theirs) says otherwise. */
  final SessionTimer sessionTimer;

  /** The far end's Allow named UPDATE: session refreshes go by UPDATE, not re-INVITE. */
  boolean peerAllowsUpdate;

  /** Our re-INVITE with an offer waits for its answer: a crossing offer of theirs gets 491. */
  boolean offerPending;

  /** Our offer went in a 2xx to a re-INVITE without SDP: its ACK brings the answer. */
  boolean answerInAck;

  /** The far end holds the call (its SDP said sendonly or inactive): we send no RTP. */
  private boolean held;

  JainSipCall(
      SipContext ctx, JainSipAccount account, String callId, SipUri remote, CallState initial) {
    this.ctx = ctx;
    this.account = account;
    this.callId = callId;
    this.remote = remote;
    this.state = initial;
    this.auth =
        new DigestAuthenticator(
            account.spec().authUsername(), account.spec().password(), ctx.random);
    this.sessionTimer = new SessionTimer(this);
  }

  @Override
  public final String callId() {
    return callId;
  }

  @Override
  public final SipUri remote() {
    return remote;
  }

  final CallState state() {
    return state;
  }

  final void moveTo(CallState target) {
    if (state == target) {
      return;
    }
    state = state.moveTo(target);
    if (target == CallState.ENDED) {
      mediaWatch.cancel();
      sessionTimer.stop();
      releaseMedia();
      // An out-of-dialog request of ours for this Call-ID (a late CANCEL) has nowhere new to go.
      ctx.stack.router().unpin(callId);
      ctx.executor.schedule(LINGER, () -> ctx.calls.remove(this));
      account.callGone(this);
    }
  }

  /** Whether the listener already had this call's terminal event. */
  final boolean isOver() {
    return terminalSent;
  }

  // ---- the API --------------------------------------------------------------------------

  @Override
  public void answer(CallMedia media) {
    throw new IllegalStateException("answer() on an outgoing call (Call-ID " + callId + ")");
  }

  @Override
  public void reject(int statusCode, String reason) {
    throw new IllegalStateException("reject() on an outgoing call (Call-ID " + callId + ")");
  }

  @Override
  public final void hangup() {
    ctx.executor.execute(
        () -> {
          if (!terminalSent) {
            onHangup();
          }
        });
  }

  @Override
  public final void terminate() {
    if (!terminateRequested.compareAndSet(false, true)) {
      return;
    }
    // Media stops now, on the caller's thread; the SIP side follows on the executor, where the
    // terminal event pre-empts whatever else was about to be reported for this call.
    closeMedia();
    ctx.executor.execute(this::terminateNow);
  }

  @Override
  public final void transfer(SipUri target, Map<String, String> headers) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
    CallState s = state;
    if (s != CallState.CONNECTED || terminalSent) {
      throw new IllegalStateException(
          "transfer() needs a connected call; Call-ID " + callId + " is " + s);
    }
    List<Header> extra = ExtraHeaders.parse(ctx, headers);
    ctx.executor.execute(
        () -> {
          if (state != CallState.CONNECTED || terminalSent) {
            return;
          }
          if (transfer != null && !transfer.isFinished()) {
            log.warn("Call-ID {}: REFER to {} refused: a transfer is in progress", callId, target);
            emit(
                () ->
                    account
                        .listener()
                        .transferFailed(
                            this,
                            SipFailure.noResponse("another transfer of this call is in progress")));
            return;
          }
          transfer = new BlindTransfer(this, target, extra);
          transfer.start();
        });
  }

  @Override
  public String audioCodec() {
    return codec;
  }

  /** The rate of the codec agreed first; a call keeps it (see {@link #midCallCodecs()}). */
  @Override
  public int audioRate() {
    MediaPlan p = plan;
    return p == null ? org.sipline.core.spi.AudioFrames.SAMPLE_RATE : p.codec().audioRate();
  }

  /** What a mid-call offer or answer may switch to: codecs of the call's audio rate. */
  final CodecPreference midCallCodecs() {
    MediaPlan p = plan;
    return p == null ? ctx.options.codecs() : ctx.options.codecs().keeping(p.codec());
  }

  @Override
  public Optional<DialogRecord> dialogRecord() {
    return terminalSent ? Optional.empty() : Optional.ofNullable(dialogRecord);
  }

  /**
   * Reads the dialog again (on the SIP executor) after it was confirmed or changed — a request of
   * ours took a CSeq, a re-INVITE refreshed the target — and tells the listener when the record
   * changed after the call was reported connected.
   */
  final void snapshotDialog() {
    if (dialog == null || terminalSent) {
      return;
    }
    DialogRecord now;
    try {
      now = DialogSnapshot.of(dialog, isIncoming(), ctx.config.transport());
    } catch (RuntimeException e) {
      log.debug("Call-ID {}: dialog not recordable: {}", callId, e.getMessage());
      return;
    }
    DialogRecord before = dialogRecord;
    if (now == null || now.equals(before)) {
      return;
    }
    dialogRecord = now;
    if (before != null) {
      emit(() -> account.listener().dialogChanged(this));
    }
  }

  @Override
  public RtpStatistics rtpStatistics() {
    RtpSession r = rtp;
    return r == null ? RtpStatistics.NONE : r.statistics();
  }

  @Override
  public final CompletableFuture<DtmfMethod> sendDtmf(char digit, int durationMillis) {
    if (DtmfEvent.DIGITS.indexOf(digit) < 0) {
      throw new IllegalArgumentException(
          "not a DTMF digit: '" + digit + "' (one of " + DtmfEvent.DIGITS + ")");
    }
    if (durationMillis < MIN_DTMF_MILLIS || durationMillis > MAX_DTMF_MILLIS) {
      throw new IllegalArgumentException(
          "DTMF duration "
              + durationMillis
              + " ms outside "
              + MIN_DTMF_MILLIS
              + ".."
              + MAX_DTMF_MILLIS
              + " ms");
    }
    CallState s = state;
    if (s != CallState.CONNECTED || terminalSent) {
      throw new IllegalStateException(
          "sendDtmf() needs a connected call; Call-ID "
              + callId
              + " is "
              + (terminalSent ? "over" : s));
    }
    ctx.requireOpen("sendDtmf()");
    CompletableFuture<DtmfMethod> result = new CompletableFuture<>();
    ctx.executor.execute(() -> sendDtmfNow(digit, durationMillis, result));
    return result;
  }

  /** Our tag in the dialog: From's for calls we place, To's for calls we take. */
  abstract String localTag();

  /** Our address as the peer reaches it (Contact, SDP). */
  abstract String localHost();

  /**
   * Where received audio and digits go: null until the call was answered or placed with it, and
   * again once it is over.
   */
  abstract CallMedia callMedia();

  /**
   * Lets go of the core's media (its playback queue, caller-audio history and buffers) once the
   * call is over; SIP executor.
   */
  abstract void forgetMedia();

  /** Soft hangup in the current state (CANCEL, decline or BYE). */
  abstract void onHangup();

  /** Hard hangup's wire part: whatever is cheapest to tell the peer, without waiting. */
  abstract void abandon();

  /** The backend closes: tell the peer what is cheap to tell and report the end. */
  final void shutdown() {
    if (terminalSent) {
      return;
    }
    CallState before = state;
    abandon();
    if (before == CallState.CONNECTED || before == CallState.HANGING_UP) {
      ended(CallEnd.ERROR, "backend closed");
    } else {
      failed(SipFailure.noResponse("backend closed"));
    }
  }

  private void terminateNow() {
    if (terminalSent) {
      return;
    }
    abandon();
    ended(CallEnd.LOCAL_TERMINATE, "torn down locally");
  }

  // ---- events: every report to the listener goes through here ----------------------------

  /**
   * Reports a non-terminal event, unless the call's end was reported or a hard hangup is pending:
   * then the hangup is reported instead, so nothing else follows terminate().
   */
  final void emit(Runnable event) {
    if (terminalSent) {
      return;
    }
    if (terminateRequested.get()) {
      terminateNow();
      return;
    }
    event.run();
  }

  /** The call never came up: {@code callFailed}, once. */
  final void failed(SipFailure failure) {
    if (terminalSent) {
      return;
    }
    if (terminateRequested.get()) {
      terminateNow();
      return;
    }
    terminalSent = true;
    account.callOver(this);
    mediaWatch.cancel();
    sessionTimer.stop();
    releaseMedia();
    log.info("Call-ID {} with {} failed: {}", callId, remote, failure.describe());
    account.listener().callFailed(this, failure);
  }

  /** The established call is over: {@code callEnded}, once; a pending transfer fails first. */
  final void ended(CallEnd cause, String description) {
    if (terminalSent) {
      return;
    }
    if (cause != CallEnd.LOCAL_TERMINATE && terminateRequested.get()) {
      terminateNow();
      return;
    }
    terminalSent = true;
    account.callOver(this);
    mediaWatch.cancel();
    sessionTimer.stop();
    releaseMedia();
    if (transfer != null && !transfer.isFinished() && cause != CallEnd.TRANSFERRED) {
      transfer.abandon();
      account
          .listener()
          .transferFailed(
              this, SipFailure.noResponse("the call ended before the transfer completed"));
    }
    log.info("Call-ID {} with {} ended ({}): {}", callId, remote, cause, description);
    account.listener().callEnded(this, cause, description);
  }

  /** Reports the connection, then watches the media for silence when configured to. */
  final void connected() {
    snapshotDialog();
    emit(
        () -> {
          log.info("Call-ID {} with {} connected ({})", callId, remote, plan.codecName());
          account.listener().callConnected(this);
          startMediaWatch();
        });
  }

  /** Starts the agreed {@link #plan}'s RTP with {@code media}. */
  final void startMedia(CallMedia media) {
    rtp.start(plan, localSdp.sendKeys(plan), media, callId);
    codec = plan.codecName();
    held = !plan.weSend();
    if (held) {
      // The call starts on hold (RFC 3264 §6.1): nothing to send until the far end resumes it.
      rtp.updateSending(false);
    }
  }

  // ---- mid-call changes and the session timer ---------------------------------------------

  /** Whether a session refresh may go out now: the call is up and not being ended. */
  final boolean connectedForRefresh() {
    return state == CallState.CONNECTED && !terminalSent && dialog != null;
  }

  /** The session timer ran out, or its refresh failed: BYE, and the call ends saying why. */
  final void sessionExpired(String what) {
    if (state != CallState.CONNECTED || terminalSent) {
      return;
    }
    log.warn("Call-ID {}: {}, sending BYE", callId, what);
    sendBye(Outcome.IGNORE);
    ended(CallEnd.ERROR, what);
  }

  /**
   * A new SDP agreed mid-call (their offer in a re-INVITE or UPDATE, or their answer to ours)
   * applied to the media path: the address, the codec, telephone-event, and whether we send (RFC
   * 3264 §8.4: not while they hold the call). Hold and resume are reported.
   */
  final void applyPlan(MediaPlan next, String by) {
    if (rtp == null || plan == null) {
      return;
    }
    MediaPlan before = plan;
    rtp.updateRemote(next.remote());
    rtp.updateSrtp(localSdp.sendKeys(next), next.receiveKeys());
    rtp.updateTelephoneEvent(next.telephoneEvent());
    if (next.payloadType() != before.payloadType() || next.codec() != before.codec()) {
      log.info("Call-ID {}: codec {} -> {} ({})", callId, before.codecName(), next.codecName(), by);
      rtp.updateCodec(next.codec(), next.payloadType());
      codec = next.codecName();
    }
    if (next.telephoneEvent() != before.telephoneEvent()) {
      log.info(
          "Call-ID {}: telephone-event {} -> {} ({})",
          callId,
          before.telephoneEvent(),
          next.telephoneEvent(),
          by);
    }
    // What DTMF is sent by (RFC 4733 or INFO) follows the plan in force.
    plan = next;
    boolean nowHeld = !next.weSend();
    if (nowHeld != held) {
      held = nowHeld;
      rtp.updateSending(!nowHeld);
      String what =
          nowHeld
              ? "call held by the far end (" + by + " with a=" + next.direction() + ")"
              : "call resumed by the far end (" + by + " with a=" + next.direction() + ")";
      log.info("Call-ID {}: {}", callId, what);
      emit(() -> account.listener().callHoldChanged(this, nowHeld, what));
    }
  }

  /** The SDP answer in a 2xx to our re-INVITE, applied; a 2xx without one changes nothing. */
  final void applyAnswer(javax.sip.message.Response response) {
    byte[] body = response.getRawContent();
    if (body == null || body.length == 0) {
      return;
    }
    MediaPlan next;
    try {
      next =
          LocalSdp.planFromAnswer(
              SessionDescription.parse(new String(body, StandardCharsets.UTF_8)),
              ctx.config.srtp(),
              midCallCodecs());
    } catch (IllegalArgumentException e) {
      log.warn("Call-ID {}: unusable SDP answer to our re-INVITE: {}", callId, e.getMessage());
      return;
    }
    if (next != null) {
      applyPlan(next, "the 200 OK to our re-INVITE");
    }
  }

  private void closeMedia() {
    RtpSession r = rtp;
    if (r != null) {
      r.close();
    }
  }

  /**
   * The call is over (SIP executor): its RTP closed and nothing of the media graph kept. The call
   * itself stays reachable a while after — the registry keeps it {@link #LINGER} for late messages
   * of its dialog, and the stack keeps its dialog and transactions (whose application data lead
   * back here) for their own timers — so what it still holds then lives as long, once per call:
   * only the signalling's small records may.
   */
  private void releaseMedia() {
    closeMedia();
    forgetMedia();
  }

  private void startMediaWatch() {
    Duration timeout = ctx.config.mediaTimeout();
    if (timeout.isZero() || rtp == null) {
      return;
    }
    // The receiver's clock starts when the RTP session is made, which can be before the call
    // connected (pre-bound pairs, early media); the timeout counts from the connection.
    long connectedAt = System.nanoTime();
    Duration period = timeout.dividedBy(4);
    if (period.compareTo(Duration.ofSeconds(1)) > 0) {
      period = Duration.ofSeconds(1);
    }
    mediaWatch =
        ctx.executor.every(
            period,
            () -> {
              if (state != CallState.CONNECTED || terminalSent) {
                mediaWatch.cancel();
                return;
              }
              Duration sinceConnected = Duration.ofNanos(System.nanoTime() - connectedAt);
              Duration heard = rtp.silence();
              Duration silence = heard.compareTo(sinceConnected) < 0 ? heard : sinceConnected;
              if (silence.compareTo(timeout) >= 0) {
                mediaWatch.cancel();
                String what = "no RTP for " + Durations.text(silence);
                log.warn("Call-ID {}: {}, sending BYE", callId, what);
                sendBye(Outcome.IGNORE);
                ended(CallEnd.MEDIA_TIMEOUT, what);
              }
            });
  }

  // ---- requests in the dialog -------------------------------------------------------------

  /** The far end hung up. */
  void onBye(RequestEvent event) {
    ctx.responder.respond(event, Response.OK);
    log.info("{}: 200 OK", SipLog.request(event.getRequest()));
    CallState before = state;
    moveTo(CallState.ENDED);
    switch (before) {
      case CONNECTED, HANGING_UP -> ended(CallEnd.REMOTE_BYE, "BYE from " + remote);
      default -> failed(SipFailure.noResponse("BYE from " + remote + " before the call was up"));
    }
  }

  /** A REFER from the far end: refused for now (hardening widens that). */
  void onRefer(RequestEvent event) {
    ctx.responder.respond(event, Response.DECLINE);
  }

  /** A NOTIFY: progress of our transfer, or nothing we subscribed to. */
  void onNotify(RequestEvent event) {
    if (transfer != null) {
      transfer.onNotify(event);
    } else {
      ctx.responder.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
    }
  }

  /** A re-INVITE: a new offer (or a request for ours), a session refresh, or both. */
  void onReInvite(RequestEvent event) {
    ReInvite.answer(this, event);
    snapshotDialog();
  }

  /** An UPDATE (RFC 3311): a new offer in the dialog, a session refresh, or both. */
  void onUpdate(RequestEvent event) {
    ReInvite.answer(this, event);
  }

  /**
   * An INFO in the dialog: a DTMF digit ({@code application/dtmf-relay} or {@code
   * application/dtmf}) is answered 200 and reported whole (START, then END); a malformed body gets
   * 400 naming what is wrong, another body type 415 with the two we take. An INFO without a body is
   * a keep-alive some PBXes send (RFC 6086's legacy usage): 200, nothing reported.
   */
  void onInfo(RequestEvent event) {
    Request request = event.getRequest();
    if (terminalSent) {
      ctx.responder.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
      return;
    }
    byte[] body = request.getRawContent();
    if (body == null || body.length == 0) {
      ctx.responder.respond(event, Response.OK);
      return;
    }
    ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    if (type == null
        || !"application".equalsIgnoreCase(type.getContentType())
        || !DtmfInfoBody.understands(type.getContentSubType())) {
      log.info(
          "{}: body of type {} refused (415)",
          SipLog.request(request),
          type == null ? "(none)" : type.getContentType() + "/" + type.getContentSubType());
      try {
        ctx.responder.respond(
            event,
            Response.UNSUPPORTED_MEDIA_TYPE,
            ctx.headers().createAcceptHeader("application", DtmfInfoBody.RELAY),
            ctx.headers().createAcceptHeader("application", DtmfInfoBody.DTMF));
      } catch (java.text.ParseException e) {
        throw new IllegalStateException("Accept header", e);
      }
      return;
    }
    DtmfInfoBody dtmf;
    try {
      dtmf = DtmfInfoBody.parse(type.getContentSubType(), body);
    } catch (IllegalArgumentException e) {
      refuseInfo(event, "Bad DTMF body: " + e.getMessage());
      return;
    }
    ctx.responder.respond(event, Response.OK);
    CallMedia media = callMedia();
    log.info(
        "Call-ID {}: DTMF '{}' ({} ms) by SIP INFO{}",
        callId,
        dtmf.digit(),
        dtmf.durationMillis(),
        media == null ? ", before the call was answered: not reported" : "");
    if (media != null) {
      try {
        media.sink().dtmf(DtmfEvent.start(dtmf.digit(), DtmfMethod.SIP_INFO));
        media.sink().dtmf(DtmfEvent.end(dtmf.digit(), dtmf.durationMillis(), DtmfMethod.SIP_INFO));
      } catch (RuntimeException e) {
        log.error("Audio sink of Call-ID {} failed on a DTMF digit", callId, e);
      }
    }
  }

  /** 400 with {@code reason} as the reason phrase. */
  private void refuseInfo(RequestEvent event, String why) {
    String reason = reasonPhrase(why);
    log.info("{}: 400 {}", SipLog.request(event.getRequest()), reason);
    ServerTransaction tx = ctx.responder.serverTransaction(event);
    if (tx == null) {
      return;
    }
    Response response = ctx.responder.response(event.getRequest(), Response.BAD_REQUEST);
    try {
      response.setReasonPhrase(reason);
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("reason phrase " + reason, e);
    }
    ctx.responder.send(tx, response);
  }

  /** The ACK of a re-INVITE: the answer to the offer our 2xx made, when it made one. */
  void onAck(RequestEvent event) {
    if (!answerInAck) {
      return;
    }
    answerInAck = false;
    byte[] body = event.getRequest().getRawContent();
    MediaPlan next = null;
    try {
      if (body != null && body.length > 0) {
        next =
            LocalSdp.planFromAnswer(
                SessionDescription.parse(new String(body, StandardCharsets.UTF_8)),
                ctx.config.srtp(),
                midCallCodecs());
      }
    } catch (IllegalArgumentException e) {
      log.warn("{}: unusable SDP answer: {}", SipLog.request(event.getRequest()), e.getMessage());
    }
    if (next == null) {
      // RFC 3264 leaves no way to refuse an answer: the call goes on as it was.
      log.warn(
          "{}: no usable answer to our offer, media unchanged", SipLog.request(event.getRequest()));
      return;
    }
    applyPlan(next, "the ACK's answer");
  }

  void onCancel(RequestEvent event) {
    // A CANCEL matches only a pending incoming INVITE; here it is too late.
    ctx.responder.respond(event, Response.OK);
  }

  /**
   * {@code text} as an RFC 3261 Reason-Phrase: the ASCII it does not allow ('#', '"', '%', '<' and
   * the like, which a DTMF complaint is apt to contain) escaped as %XX, as its grammar permits.
   */
  static String reasonPhrase(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed =
          c >= 0x80
              || Character.isLetterOrDigit(c)
              || c == ' '
              || c == '\t'
              || "-_.!~*'();/?:@&=+$,".indexOf(c) >= 0;
      if (allowed) {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", (int) c));
      }
    }
    return sb.toString();
  }

  // ---- DTMF out ---------------------------------------------------------------------------

  private void sendDtmfNow(char digit, int durationMillis, CompletableFuture<DtmfMethod> result) {
    if (state != CallState.CONNECTED || terminalSent) {
      result.completeExceptionally(
          new SipFailureException(
              SipFailure.noResponse("the call ended before DTMF '" + digit + "' was sent")));
      return;
    }
    if (rtp != null && plan != null && plan.telephoneEvent() >= 0) {
      CompletableFuture<Void> sent;
      try {
        sent = rtp.sendDtmf(digit, durationMillis);
      } catch (IllegalStateException e) {
        result.completeExceptionally(
            new SipFailureException(
                SipFailure.exception("DTMF '" + digit + "' not sent: " + e.getMessage(), e)));
        return;
      }
      // The media completes on its pacer thread, which serves every call: the result, and
      // whatever the core attached to it, runs here on the SIP executor instead.
      var unused =
          sent.whenComplete(
              (ok, error) ->
                  ctx.executor.execute(
                      () -> {
                        if (error == null) {
                          result.complete(DtmfMethod.RFC4733);
                        } else {
                          result.completeExceptionally(
                              error instanceof CompletionException && error.getCause() != null
                                  ? error.getCause()
                                  : error);
                        }
                      }));
      return;
    }
    DtmfInfoBody body = new DtmfInfoBody(digit, durationMillis);
    new InDialogRequest(
            this,
            Request.INFO,
            List.of(),
            (code, reason) -> {
              if (code >= 200 && code < 300) {
                result.complete(DtmfMethod.SIP_INFO);
              } else {
                result.completeExceptionally(
                    new SipFailureException(
                        code == 0
                            ? SipFailure.noResponse(reason)
                            : SipFailure.response(code, reason)));
              }
            })
        .withContent("application", DtmfInfoBody.RELAY, body.relayBody())
        .send();
  }

  // ---- BYE --------------------------------------------------------------------------------

  /**
   * Sends BYE in the dialog; {@code done} runs when it was answered, failed, or the transaction
   * bound passed. The call's media is closed by then.
   */
  final void sendBye(Outcome done) {
    if (dialog == null) {
      moveTo(CallState.ENDED);
      done.done(0, "no dialog to send BYE in");
      return;
    }
    moveTo(CallState.HANGING_UP);
    new InDialogRequest(
            this,
            Request.BYE,
            List.of(),
            (code, reason) -> {
              moveTo(CallState.ENDED);
              done.done(code, reason);
            })
        .send();
  }

  /** What a request's final response said: code and reason, or 0 and what went wrong. */
  @FunctionalInterface
  interface Outcome {
    Outcome IGNORE = (code, reason) -> {};

    void done(int code, String reason);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + callId + ", " + remote + ", " + state + "]";
  }
}

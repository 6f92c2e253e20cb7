package org.sipline.backend.jainsip;

import java.util.function.BiConsumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.core.spi.Capacity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's listener. It only moves each event onto the SIP executor, so the RI's single
 * EventScannerThread never waits for us, then routes it: responses to whoever sent the request,
 * requests to the call they belong to, the rest answered here — statelessly when a stranger sent
 * them (see {@link Strangers}).
 */
final class SipDispatcher implements SipListener {
  private static final Logger log = LoggerFactory.getLogger(SipDispatcher.class);

  private final SipContext ctx;
  private final Responder responder;
  private final Strangers strangers;
  private final IncomingInvites invites;

  SipDispatcher(SipContext ctx, Strangers strangers, IncomingInvites invites) {
    this.ctx = ctx;
    this.responder = ctx.responder;
    this.strangers = strangers;
    this.invites = invites;
  }

  @Override
  public void processRequest(RequestEvent event) {
    ctx.executor.execute(() -> onRequest(event));
  }

  @Override
  public void processResponse(ResponseEvent event) {
    ctx.executor.execute(() -> onResponse(event));
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    ctx.executor.execute(() -> onTimeout(event));
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    log.warn(
        "SIP transport error toward {}:{} ({})",
        event.getHost(),
        event.getPort(),
        event.getTransport());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {
    // Nothing kept per transaction beyond its application data.
  }

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {
    // Calls track their own end.
  }

  private void onResponse(ResponseEvent event) {
    ClientTransaction tx = event.getClientTransaction();
    if (tx != null && tx.getApplicationData() instanceof ResponseHandler handler) {
      handler.onResponse(event);
      return;
    }
    Response response = event.getResponse();
    CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
    if (cseq != null
        && cseq.getMethod().equals(Request.INVITE)
        && response.getStatusCode() / 100 == 2) {
      // A 2xx outliving its transaction: a retransmission, or another fork answering. Only a
      // call we placed sent an INVITE; its Call-ID and From tag (ours) find it, and it checks
      // the rest. Anything else is stray or forged: the RI made it a dialog all the same
      // (automatic dialog support), and ACK and BYE to its Contact would send our traffic
      // wherever a forger pointed it. So nothing goes out, and the stack forgets that dialog.
      JainSipCall call = ctx.calls.find(Requests.callId(response), Requests.fromTag(response));
      if (call instanceof OutgoingSipCall placed && placed.onStray2xx(event)) {
        return;
      }
      log.info(
          "{} to INVITE Call-ID {} from {}: no INVITE of ours matches, ignored",
          SipLog.status(response),
          Requests.callId(response),
          SipLog.sender(event));
      Dialog made = event.getDialog();
      if (made != null && (call == null || made != call.dialog)) {
        made.delete();
      }
      return;
    }
    log.debug("response without a waiting transaction: {} to {}", SipLog.status(response), cseq);
  }

  private void onTimeout(TimeoutEvent event) {
    if (event.isServerTransaction()) {
      return;
    }
    ClientTransaction tx = event.getClientTransaction();
    if (tx != null && tx.getApplicationData() instanceof ResponseHandler handler) {
      handler.onStackTimeout();
    }
  }

  private void onRequest(RequestEvent event) {
    Request request = event.getRequest();
    RequestChecks.Refusal refusal = RequestChecks.check(request);
    if (refusal != null) {
      refuse(event, refusal);
      return;
    }
    String method = request.getMethod();
    String callId = Requests.callId(request);
    JainSipCall call =
        method.equals(Request.CANCEL)
            ? ctx.calls.findIncoming(callId, Requests.fromTag(request))
            : ctx.calls.find(callId, Requests.toTag(request));
    switch (method) {
      case Request.INVITE -> {
        if (Requests.toTag(request) == null) {
          invites.receive(event);
        } else if (call != null) {
          call.onReInvite(event);
        } else {
          answer(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
        }
      }
      case Request.ACK -> {
        if (call != null) {
          call.onAck(event);
        } else {
          log.debug("{}: no dialog waits for it", SipLog.request(request));
        }
      }
      case Request.CANCEL -> toCall(call, event, JainSipCall::onCancel);
      case Request.BYE -> toCall(call, event, JainSipCall::onBye);
      case Request.NOTIFY -> toCall(call, event, JainSipCall::onNotify);
      case Request.INFO -> toCall(call, event, JainSipCall::onInfo);
      case Request.UPDATE -> toCall(call, event, JainSipCall::onUpdate);
      case Request.REFER -> {
        if (call != null) {
          call.onRefer(event);
        } else {
          answer(event, Response.DECLINE);
        }
      }
      case Request.OPTIONS -> answerOptions(event);
      case Request.REGISTER, Request.SUBSCRIBE, Request.MESSAGE, Request.PRACK, Request.PUBLISH ->
          answer(event, Response.METHOD_NOT_ALLOWED, ctx.allow());
      default -> answer(event, Response.NOT_IMPLEMENTED);
    }
  }

  /** Hands {@code event} to its call, or answers 481 when no dialog of ours matches. */
  private void toCall(
      JainSipCall call, RequestEvent event, BiConsumer<JainSipCall, RequestEvent> handler) {
    if (call == null) {
      answer(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
    } else {
      handler.accept(call, event);
    }
  }

  /**
   * Answers a request no call of ours takes: on a server transaction for a trusted source, with
   * nothing kept for a stranger's.
   */
  private void answer(RequestEvent event, int code, javax.sip.header.Header... headers) {
    if (strangers.sent(event.getRequest())) {
      strangers.refused(event.getRequest(), code);
      responder.respondStatelessly(event.getRequest(), code, headers);
    } else {
      responder.respond(event, code, headers);
    }
  }

  private void refuse(RequestEvent event, RequestChecks.Refusal refusal) {
    try {
      javax.sip.header.Header[] unsupported =
          new javax.sip.header.Header[refusal.unsupported().size()];
      for (int i = 0; i < unsupported.length; i++) {
        unsupported[i] = ctx.headers().createUnsupportedHeader(refusal.unsupported().get(i));
      }
      answer(event, refusal.code(), unsupported);
    } catch (java.text.ParseException e) {
      // An option tag the RI itself parsed from the Require header: it writes back.
      throw new IllegalStateException("Unsupported header for " + refusal.unsupported(), e);
    }
  }

  /**
   * 200 while a line is free, 486 when all are busy, 503 while draining: a proxy in front
   * (Kamailio's dispatcher) probes with OPTIONS and sends calls only where they can be taken.
   */
  private void answerOptions(RequestEvent event) {
    Capacity capacity = ctx.capacity.get();
    if (capacity != Capacity.FREE) {
      log.debug("{}: {} {}", SipLog.request(event.getRequest()), capacity.statusCode(), capacity);
    }
    try {
      answer(
          event,
          capacity.statusCode(),
          ctx.allow(),
          ctx.headers().createAcceptHeader("application", "sdp"));
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("Accept header", e);
    }
  }
}

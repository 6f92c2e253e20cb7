package org.sipline.backend.jainsip;

import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.ObjectInUseException;
import javax.sip.ResponseEvent;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request in a call's dialog (BYE, REFER, INFO) until its final response: a digest challenge is
 * answered once, and the configured transaction timeout bounds the wait. The outcome is delivered
 * once: the final code and reason, or 0 and what went wrong.
 *
 * <p>It goes to the dialog's route set or remote target, and the RI resolves a host name there on
 * this thread as it sends (so do the ACK and BYE of {@link Dialogs}). That lookup stays: RFC 3263
 * routes by name and proxies Record-Route by name, and the names come from a peer we already hold a
 * dialog with: an incoming call's INVITE came from a trusted source ({@link
 * org.sipline.core.spi.TrustedSources}), an outgoing call's 2xx answers the INVITE our client
 * addressed, and a forged 2xx never gets a dialog of ours ({@link SipDispatcher}).
 */
final class InDialogRequest implements ResponseHandler {
  private static final Logger log = LoggerFactory.getLogger(InDialogRequest.class);

  private final JainSipCall call;
  private final String method;
  private final List<Header> extra;
  private final JainSipCall.Outcome outcome;
  private final Provisional provisional;
  private String contentType;
  private String contentSubtype;
  private String content;
  private java.util.function.Consumer<Response> finalResponse = r -> {};
  private Response lastFinal;
  private ClientTransaction current;
  private SipExecutor.Timer deadline = SipExecutor.Timer.NONE;
  private boolean done;

  /** Hears responses before the final one (REFER's early 2xx-ish progress is not needed). */
  @FunctionalInterface
  interface Provisional {
    void received(Response response);
  }

  InDialogRequest(
      JainSipCall call, String method, List<Header> extra, JainSipCall.Outcome outcome) {
    this(call, method, extra, r -> {}, outcome);
  }

  InDialogRequest(
      JainSipCall call,
      String method,
      List<Header> extra,
      Provisional provisional,
      JainSipCall.Outcome outcome) {
    this.call = call;
    this.method = method;
    this.extra = extra;
    this.provisional = provisional;
    this.outcome = outcome;
  }

  /** Sends {@code text} as the request's body, of type {@code type/subtype}. */
  InDialogRequest withContent(String type, String subtype, String text) {
    this.contentType = type;
    this.contentSubtype = subtype;
    this.content = text;
    return this;
  }

  /**
   * Hands the final response to {@code handler} before the outcome, or null when none came
   * (timeout, transport failure): for what the code alone does not carry (an SDP answer, Min-SE).
   */
  InDialogRequest onFinal(java.util.function.Consumer<Response> handler) {
    this.finalResponse = handler;
    return this;
  }

  void send() {
    call.auth.newChain();
    deadline =
        call.ctx.executor.schedule(
            call.ctx.config.transactionTimeout(),
            () ->
                finish(
                    0,
                    "no answer to "
                        + method
                        + " within "
                        + Durations.text(call.ctx.config.transactionTimeout())));
    transmit();
  }

  private void transmit() {
    try {
      Request request = call.dialog.createRequest(method);
      request.addHeader(call.ctx.userAgent());
      ExtraHeaders.addTo(request, extra);
      if (content != null) {
        request.setContent(
            content, call.ctx.headers().createContentTypeHeader(contentType, contentSubtype));
      }
      call.auth.authorize(request, call.ctx.headers());
      ClientTransaction tx = call.ctx.provider().getNewClientTransaction(request);
      tx.setApplicationData(this);
      current = tx;
      call.dialog.sendRequest(tx);
      call.snapshotDialog(); // our CSeq moved on: a later process's BYE must take the next
      log.debug("{} sent", SipLog.request(request));
    } catch (Exception e) {
      finish(0, "cannot send " + method + ": " + e.getMessage());
    }
  }

  @Override
  public void onResponse(ResponseEvent event) {
    if (event.getClientTransaction() != current || done) {
      return;
    }
    Response response = event.getResponse();
    int code = response.getStatusCode();
    if (code < 200) {
      provisional.received(response);
      return;
    }
    log.info("{}: {}", SipLog.request(current.getRequest()), SipLog.status(response));
    if ((code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED)
        && call.auth.challenged(response) == null) {
      transmit();
      return;
    }
    lastFinal = response;
    finish(code, response.getReasonPhrase());
  }

  @Override
  public void onStackTimeout() {
    finish(0, "no answer to " + method + " (transaction timed out)");
  }

  /** Stops waiting; the outcome is not delivered. */
  void abandon() {
    done = true;
    deadline.cancel();
    terminateCurrent();
  }

  private void finish(int code, String reason) {
    if (done) {
      return;
    }
    done = true;
    deadline.cancel();
    if (code == 0) {
      log.warn("Call-ID {}: {}", call.callId(), reason);
      terminateCurrent();
    }
    finalResponse.accept(code == 0 ? null : lastFinal);
    outcome.done(code, reason);
  }

  private void terminateCurrent() {
    ClientTransaction tx = current;
    if (tx != null) {
      try {
        tx.terminate();
      } catch (ObjectInUseException e) {
        log.debug("cannot terminate {}", SipLog.request(tx.getRequest()), e);
      }
    }
  }
}

package org.sipline.backend.jainsip;

import java.util.concurrent.CompletableFuture;
import javax.sip.ClientTransaction;
import javax.sip.ObjectInUseException;
import javax.sip.ResponseEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.core.spi.FinalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request sent for something a previous process left (a BYE for its dialog, a REGISTER removing
 * its binding), in a client transaction of its own, until its final response or the transaction
 * timeout. With an authenticator, one digest challenge is answered; without, the challenge is the
 * outcome. Lives on the SIP executor.
 */
final class OrphanRequest implements ResponseHandler {
  private static final Logger log = LoggerFactory.getLogger(OrphanRequest.class);

  /** Builds the request; called again, with the next CSeq, to answer a challenge. */
  @FunctionalInterface
  interface Builder {
    Request build(long cseq) throws Exception;
  }

  private final SipContext ctx;
  private final Builder builder;
  private final DigestAuthenticator auth;
  private final CompletableFuture<FinalResponse> result;
  private long cseq;
  private ClientTransaction current;
  private SipExecutor.Timer deadline = SipExecutor.Timer.NONE;

  private OrphanRequest(
      SipContext ctx,
      Builder builder,
      long cseq,
      DigestAuthenticator auth,
      CompletableFuture<FinalResponse> result) {
    this.ctx = ctx;
    this.builder = builder;
    this.cseq = cseq;
    this.auth = auth;
    this.result = result;
  }

  /** Sends the request built by {@code builder}; the future completes with its outcome. */
  static CompletableFuture<FinalResponse> send(
      SipContext ctx, Builder builder, long cseq, DigestAuthenticator auth) {
    CompletableFuture<FinalResponse> result = new CompletableFuture<>();
    ctx.requireOpen("request for a previous process's leftovers");
    ctx.executor.execute(() -> new OrphanRequest(ctx, builder, cseq, auth, result).start());
    return result;
  }

  private void start() {
    if (auth != null) {
      auth.newChain();
    }
    deadline =
        ctx.executor.schedule(
            ctx.config.transactionTimeout(),
            () ->
                finish(
                    FinalResponse.none(
                        "no answer within " + Durations.text(ctx.config.transactionTimeout()))));
    transmit();
  }

  private void transmit() {
    Request request;
    try {
      request = builder.build(cseq);
      if (auth != null) {
        auth.authorize(request, ctx.headers());
      }
    } catch (Exception e) {
      // The record could not be put on the wire: what is wrong with it is the outcome.
      deadline.cancel();
      result.completeExceptionally(
          new IllegalArgumentException("cannot build the request: " + e.getMessage(), e));
      return;
    }
    try {
      ClientTransaction tx = ctx.provider().getNewClientTransaction(request);
      tx.setApplicationData(this);
      current = tx;
      tx.sendRequest();
      log.info("{} sent for the previous process", SipLog.request(request));
    } catch (Exception e) {
      current = null;
      finish(FinalResponse.none("cannot send " + SipLog.request(request) + ": " + e.getMessage()));
    }
  }

  @Override
  public void onResponse(ResponseEvent event) {
    if (event.getClientTransaction() != current || result.isDone()) {
      return;
    }
    Response response = event.getResponse();
    int code = response.getStatusCode();
    if (code < 200) {
      return;
    }
    log.info("{}: {}", SipLog.request(current.getRequest()), SipLog.status(response));
    if ((code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED)
        && auth != null
        && auth.challenged(response) == null) {
      cseq++;
      transmit();
      return;
    }
    finish(new FinalResponse(code, response.getReasonPhrase()));
  }

  @Override
  public void onStackTimeout() {
    finish(FinalResponse.none("no answer (transaction timed out)"));
  }

  private void finish(FinalResponse outcome) {
    if (result.isDone()) {
      return;
    }
    deadline.cancel();
    if (outcome.statusCode() == 0 && current != null) {
      try {
        current.terminate();
      } catch (ObjectInUseException e) {
        log.debug("cannot terminate {}", SipLog.request(current.getRequest()), e);
      }
    }
    result.complete(outcome);
  }
}

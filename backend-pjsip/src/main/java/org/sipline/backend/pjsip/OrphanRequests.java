package org.sipline.backend.pjsip;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.core.spi.FinalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests that end what a previous process left (a BYE from a dialog record, a REGISTER with
 * Expires: 0 from a binding), each named by a token the shim gives back with its final response
 * ({@code SLPJ_EV_ORPHAN_DONE}). pjsip's transaction always ends (Timer F or a transport error), so
 * every future completes; those still waiting when the backend closes complete with "none".
 */
final class OrphanRequests {
  private static final Logger log = LoggerFactory.getLogger(OrphanRequests.class);

  /** Starts one request in the shim with this token; 0 when sent, else -1 with err set. */
  @FunctionalInterface
  interface Sender {
    int send(int token, byte[] err);
  }

  private record Pending(String what, CompletableFuture<FinalResponse> future) {}

  private final AtomicInteger tokens = new AtomicInteger();
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

  CompletableFuture<FinalResponse> send(String what, Sender sender) {
    // Positive and never 0: the shim's events carry it where a call handle would be.
    int token = tokens.updateAndGet(t -> t == Integer.MAX_VALUE ? 1 : t + 1);
    CompletableFuture<FinalResponse> future = new CompletableFuture<>();
    pending.put(token, new Pending(what, future));
    byte[] err = CText.errorBuffer();
    if (sender.send(token, err) != 0) {
      pending.remove(token);
      String why = CText.of(err);
      log.warn("{}: not sent: {}", what, why);
      future.complete(FinalResponse.none("cannot send: " + why));
    } else {
      log.info("{}: sent", what);
    }
    return future;
  }

  void done(int token, int status, String reason) {
    Pending p = pending.remove(token);
    if (p == null) {
      return;
    }
    FinalResponse outcome =
        status >= 200 && status <= 699
            ? new FinalResponse(status, reason)
            : FinalResponse.none(
                "no answer (" + (reason.isEmpty() ? "transaction failed" : reason) + ")");
    log.info("{}: {}", p.what(), outcome.describe());
    p.future().complete(outcome);
  }

  void closed() {
    for (Integer token : java.util.List.copyOf(pending.keySet())) {
      Pending p = pending.remove(token);
      if (p != null) {
        p.future().complete(FinalResponse.none("backend closed before an answer came"));
      }
    }
  }
}

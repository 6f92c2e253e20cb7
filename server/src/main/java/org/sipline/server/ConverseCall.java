package org.sipline.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.concurrent.Executor;
import org.sipline.api.media.v1.Audio;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.SendDtmf;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.media.ConverseOptions;
import org.sipline.core.media.LineMedia;
import org.sipline.core.media.MediaStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Converse rpc: its requests in, through {@link MediaStream}'s commands, and its events out
 * through a {@link MediaEventPump}.
 *
 * <p>Requests are taken one at a time ({@code request(1)} after each) but always at once: a command
 * never waits (the core queues it), and nothing here waits for the client to read, so a Clear is
 * applied while any number of events are still on their way out. The first request must be Open;
 * until it comes there is no stream, and whatever goes wrong is answered directly.
 */
final class ConverseCall implements StreamObserver<ConverseRequest> {
  private static final Logger log = LoggerFactory.getLogger(ConverseCall.class);

  private final LineMedia media;
  private final ServerCallStreamObserver<ConverseEvent> call;
  private final Executor pool;
  private final MediaStreamObserver observer;

  // Requests arrive one at a time (gRPC serializes a call's callbacks); these are read by the
  // cancel handler too, which may run on another thread.
  private volatile MediaStream stream;
  private volatile MediaEventPump pump;
  private volatile boolean over;

  private ConverseCall(
      LineMedia media,
      ServerCallStreamObserver<ConverseEvent> call,
      Executor pool,
      MediaStreamObserver observer) {
    this.media = media;
    this.call = call;
    this.pool = pool;
    this.observer = observer;
  }

  /** Sets the call up for manual inbound flow and readiness; returns the request observer. */
  static StreamObserver<ConverseRequest> start(
      LineMedia media,
      StreamObserver<ConverseEvent> response,
      Executor pool,
      MediaStreamObserver observer) {
    ServerCallStreamObserver<ConverseEvent> call =
        (ServerCallStreamObserver<ConverseEvent>) response;
    ConverseCall converse = new ConverseCall(media, call, pool, observer);
    call.disableAutoRequest();
    // Both handlers must be set before the service method returns; the pump exists from Open on.
    call.setOnReadyHandler(converse::wakePump);
    call.setOnCancelHandler(converse::cancelled);
    call.request(1);
    return converse;
  }

  @Override
  public void onNext(ConverseRequest request) {
    if (over) {
      return;
    }
    try {
      handle(request);
    } catch (RuntimeException e) {
      refuse(GrpcErrors.toStatus(e, "Converse " + request.getKindCase()).getStatus());
      return;
    }
    call.request(1);
  }

  private void handle(ConverseRequest request) {
    MediaStream s = stream;
    if (s == null) {
      if (request.getKindCase() != ConverseRequest.KindCase.OPEN) {
        throw new InvalidArgumentException(
            "open", "the first request must be Open, not " + name(request.getKindCase()));
      }
      open(request);
      return;
    }
    switch (request.getKindCase()) {
      case OPEN -> throw new InvalidArgumentException("open", "sent twice");
      case AUDIO -> {
        Audio a = request.getAudio();
        s.audio(a.getUtteranceId(), a.getData().toByteArray(), a.getEndOfUtterance());
      }
      case MARK -> s.mark(request.getMark().getId());
      case CLEAR -> s.clear(request.getClear().getThroughUtterance());
      case PAUSE -> s.pause();
      case RESUME -> s.resume();
      case SEND_DTMF -> {
        SendDtmf d = request.getSendDtmf();
        s.sendDtmf(
            d.getDigits(),
            MediaMessages.dtmfDurationMs(d.getDurationMs()),
            MediaMessages.dtmfGapMs(d.getGapMs()));
      }
      case KIND_NOT_SET ->
          throw new InvalidArgumentException(
              "kind", "empty request; one of open, audio, mark, clear, pause, resume, send_dtmf");
    }
  }

  private void open(ConverseRequest request) {
    ConverseOptions options = MediaMessages.toOptions(request.getOpen()).validate();
    MediaStream s = media.converse(options);
    // Said at once, not when the call comes: with NEXT, operators (and tests) can tell a bot that
    // waits for a call from one whose Open never arrived.
    log.info(
        "Converse stream opened on the {} call{}{}",
        options.call().name().toLowerCase(Locale.ROOT),
        options.takeOver() ? ", taking over" : "",
        options.resumeToken().isEmpty() ? "" : ", resuming");
    MediaEventPump p = new MediaEventPump("Converse", s, call, pool, observer);
    // The pump first: whoever sees the stream may use its pump.
    pump = p;
    stream = s;
    if (call.isCancelled()) {
      // Cancelled while the stream was being opened: the cancel handler saw no stream.
      cancelled();
      return;
    }
    p.start();
  }

  /** The client half-closed: it sends no more. The stream ends itself; events go on meanwhile. */
  @Override
  public void onCompleted() {
    if (over) {
      return;
    }
    MediaStream s = stream;
    if (s == null) {
      refuse(
          Status.INVALID_ARGUMENT.withDescription(
              "open: the stream was half-closed before its Open"));
      return;
    }
    s.close();
  }

  /** The client cancelled or went away; {@link #cancelled} has or will run for it. */
  @Override
  public void onError(Throwable t) {
    // gRPC runs the cancel handler for every way a call's client can be lost.
  }

  private synchronized void cancelled() {
    if (over) {
      return;
    }
    over = true;
    MediaStream s = stream;
    if (s != null) {
      // Keeps the call up for the grace period, resumable with the stream's token.
      s.detach();
      pump.abandon("detached (client gone)");
    }
  }

  /**
   * Ends the rpc with {@code status}. An opened stream is detached as if its client had gone, so
   * the client can come back with its resume token within the grace period, except that what it
   * queued before the refused request plays on (MEDIA.md: nothing already queued is lost by a
   * refused request); its marks resolve into the events a resume gets.
   */
  private synchronized void refuse(Status status) {
    if (over) {
      return;
    }
    over = true;
    MediaStream s = stream;
    if (s == null) {
      call.onError(status.asRuntimeException());
      return;
    }
    s.detachKeepingQueue();
    pump.fail(status);
  }

  private void wakePump() {
    MediaEventPump p = pump;
    if (p != null) {
      p.wake();
    }
  }

  private static String name(ConverseRequest.KindCase kind) {
    return kind == ConverseRequest.KindCase.KIND_NOT_SET
        ? "an empty request"
        : kind.name().toLowerCase(Locale.ROOT);
  }
}

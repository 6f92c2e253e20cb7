package org.sipline.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.InterruptRequest;
import org.sipline.api.media.v1.InterruptResponse;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.ListenRequest;
import org.sipline.core.media.LineMedia;
import org.sipline.core.media.ListenOptions;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.MediaStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sipline.media.v1 {@code LineMedia} service over the {@link LineMedia} of the line each rpc
 * was routed to (MEDIA.md). Requests run on the Netty event loop that read them and never block;
 * events go out from a small pool of its own ({@link MediaEventPump}), so a media thread that wakes
 * a stream never does gRPC work. Failures become gRPC statuses in {@link GrpcErrors} only.
 */
final class LineMediaService extends LineMediaGrpc.LineMediaImplBase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LineMediaService.class);

  private final Supplier<LineMedia> lines;
  private final ExecutorService pumps;
  private final MediaStreamObserver streams;

  /** A service over one line's media, whatever the request's routing. */
  LineMediaService(LineMedia media) {
    this(() -> media);
  }

  /**
   * @param lines the media of the line the rpc was routed to, asked once at its start ({@link
   *     LineRouting})
   */
  LineMediaService(Supplier<LineMedia> lines) {
    this(lines, MediaStreamObserver.NONE);
  }

  /**
   * @param streams told of every stream's start and end (metrics)
   */
  LineMediaService(Supplier<LineMedia> lines, MediaStreamObserver streams) {
    this.lines = lines;
    this.streams = streams;
    AtomicInteger n = new AtomicInteger();
    // Drains only move ready events into Netty's buffers and never wait, so one thread per core
    // is enough for every stream.
    this.pumps =
        Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(),
            r -> {
              Thread t = new Thread(r, "sipline-media-pump-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public StreamObserver<ConverseRequest> converse(StreamObserver<ConverseEvent> response) {
    return ConverseCall.start(lines.get(), response, pumps, streams);
  }

  @Override
  public void listen(ListenRequest request, StreamObserver<ConverseEvent> response) {
    ServerCallStreamObserver<ConverseEvent> call =
        (ServerCallStreamObserver<ConverseEvent>) response;
    MediaStream stream;
    ListenOptions options;
    try {
      options = MediaMessages.toOptions(request).validate();
      stream = lines.get().listen(options);
    } catch (RuntimeException e) {
      call.onError(GrpcErrors.toStatus(e, "Listen"));
      return;
    }
    log.info("Listen stream opened on the {} call", options.call().name().toLowerCase(Locale.ROOT));
    MediaEventPump pump = new MediaEventPump("Listen", stream, call, pumps, streams);
    call.setOnReadyHandler(pump::wake);
    call.setOnCancelHandler(
        () -> {
          stream.detach();
          pump.abandon("ended (client gone)");
        });
    pump.start();
  }

  @Override
  public void interrupt(InterruptRequest request, StreamObserver<InterruptResponse> response) {
    ServerCallStreamObserver<InterruptResponse> call =
        (ServerCallStreamObserver<InterruptResponse>) response;
    // Answering a call the client has already abandoned is then a no-op, not an error.
    call.setOnCancelHandler(() -> {});
    String attempted = "Interrupt of call " + quoted(request.getCallId());
    CompletableFuture<MediaEvent.Cleared> cleared;
    try {
      cleared = lines.get().interrupt(request.getCallId(), request.getThroughUtterance());
    } catch (RuntimeException e) {
      cleared = CompletableFuture.failedFuture(e);
    }
    // What the callback does is the answer; there is nothing else to observe.
    var unused =
        cleared.whenComplete(
            (c, failure) -> {
              if (call.isCancelled()) {
                return;
              }
              if (failure != null) {
                call.onError(GrpcErrors.toStatus(failure, attempted));
              } else {
                call.onNext(
                    InterruptResponse.newBuilder().setCleared(MediaMessages.toProto(c)).build());
                call.onCompleted();
              }
            });
  }

  /** Ends the pump threads; called once gRPC has stopped, so no stream is left to drain. */
  @Override
  public void close() {
    pumps.shutdownNow();
  }

  private static String quoted(String s) {
    if (s.isEmpty()) {
      return "(current)";
    }
    String shown = s.length() > 120 ? s.substring(0, 120) + "..." : s;
    return '"' + shown.replaceAll("\\p{Cntrl}", "?") + '"';
  }
}

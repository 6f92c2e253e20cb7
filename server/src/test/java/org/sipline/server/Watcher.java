package org.sipline.server;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.StatusEntry;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;
import org.sipline.testing.StatusProbe;

/**
 * A WatchStatus client for tests: records every event; with {@link #paused} it reads nothing until
 * {@link #resume()} (manual flow control, so the server sees a slow client).
 */
final class Watcher implements AutoCloseable {
  final List<WatchEvent> events = new CopyOnWriteArrayList<>();
  final CompletableFuture<Throwable> ended = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<WatchStatusRequest> call;

  private Watcher(Channel channel, WatchStatusRequest request, String line, boolean paused) {
    LinesGrpc.LinesStub stub = LinesGrpc.newStub(channel);
    if (line != null) {
      Metadata h = new Metadata();
      h.put(LineRouting.LINE_HEADER, line);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }
    stub.watchStatus(
        request,
        new ClientResponseObserver<WatchStatusRequest, WatchEvent>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<WatchStatusRequest> requestStream) {
            call = requestStream;
            if (paused) {
              requestStream.disableAutoRequestWithInitial(1);
            }
          }

          @Override
          public void onNext(WatchEvent value) {
            events.add(value);
          }

          @Override
          public void onError(Throwable t) {
            ended.complete(t);
          }

          @Override
          public void onCompleted() {
            ended.complete(null);
          }
        });
  }

  static Watcher start(Channel channel, WatchStatusRequest request) {
    return new Watcher(channel, request, null, false);
  }

  static Watcher onLine(Channel channel, String line, WatchStatusRequest request) {
    return new Watcher(channel, request, line, false);
  }

  static Watcher paused(Channel channel, WatchStatusRequest request) {
    return new Watcher(channel, request, null, true);
  }

  /** Reads everything from now on. */
  void resume() {
    call.request(Integer.MAX_VALUE);
  }

  List<StatusEntry> entries() {
    List<StatusEntry> out = new ArrayList<>();
    for (WatchEvent e : events) {
      if (e.hasStatus()) {
        out.add(e.getStatus());
      }
    }
    return out;
  }

  List<Long> seqs() {
    return entries().stream().map(StatusEntry::getSeq).toList();
  }

  long lastSeq() {
    List<StatusEntry> all = entries();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).getSeq();
  }

  void awaitEvent(Predicate<WatchEvent> match, String what, Duration timeout) {
    StatusProbe.awaitTrue(() -> events.stream().anyMatch(match), what, timeout);
  }

  void awaitSeq(long seq, Duration timeout) {
    StatusProbe.awaitTrue(() -> lastSeq() >= seq, "seq " + seq + " received", timeout);
  }

  StatusRuntimeException awaitError(Duration timeout) throws Exception {
    Throwable t = ended.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    return (StatusRuntimeException) t;
  }

  @Override
  public void close() {
    if (call != null) {
      call.cancel("test done", null);
    }
  }
}

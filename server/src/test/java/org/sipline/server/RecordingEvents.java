package org.sipline.server;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sipline.api.media.v1.ConverseEvent;

/**
 * The client side of a Converse or Listen call in tests: records every event and how the call
 * ended. Made with {@code reading = false} it requests no event until {@link #read} says so, like a
 * client that has stopped reading.
 */
final class RecordingEvents<ReqT> implements ClientResponseObserver<ReqT, ConverseEvent> {
  final List<ConverseEvent> events = new CopyOnWriteArrayList<>();
  final CompletableFuture<Status> closed = new CompletableFuture<>();
  private final boolean reading;
  private volatile ClientCallStreamObserver<ReqT> call;

  RecordingEvents(boolean reading) {
    this.reading = reading;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
    call = requestStream;
    if (!reading) {
      requestStream.disableAutoRequestWithInitial(0);
    }
  }

  /** Lets {@code n} more events in (for a client made with {@code reading = false}). */
  void read(int n) {
    call.request(n);
  }

  void cancel() {
    call.cancel("test cancels", null);
  }

  @Override
  public void onNext(ConverseEvent event) {
    events.add(event);
  }

  @Override
  public void onError(Throwable t) {
    closed.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    closed.complete(Status.OK);
  }
}

package org.sipline.server.ctl;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sipline.api.media.v1.ConverseEvent;

/**
 * Everything a media command waits for, in one queue it takes from on its own thread: the stream's
 * events, the stream's end, and the user's Ctrl-C. One loop over it needs no locks.
 */
final class EventInbox<ReqT> implements ClientResponseObserver<ReqT, ConverseEvent> {
  /** The stream ended: OK, or the error the server (or the channel) ended it with. */
  record Ended(Status status) {}

  /** The user asked to stop (Ctrl-C, SIGTERM). */
  record Stop() {}

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<ReqT> call;

  @Override
  public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
    call = requestStream;
  }

  @Override
  public void onNext(ConverseEvent event) {
    queue.add(event);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(new Ended(Status.fromThrowable(t)));
  }

  @Override
  public void onCompleted() {
    queue.add(new Ended(Status.OK));
  }

  void stop() {
    queue.add(new Stop());
  }

  /** Cancels the call (the server detaches the stream); an {@link Ended} follows. */
  void cancel(String why) {
    ClientCallStreamObserver<ReqT> c = call;
    if (c != null) {
      c.cancel(why, null);
    }
  }

  /** The next item, waiting at most {@code timeout}; null when nothing came. */
  Object take(Duration timeout) {
    try {
      return queue.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Stop();
    }
  }
}

package org.sipline.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.MediaStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one stream's events from its {@link MediaStream} to its gRPC call, only while the call is
 * ready to take them: the stream's own bounded ring is the only queue, never the HTTP/2 window or a
 * buffer of ours, so a client that stops reading makes the core drop caller audio (and report the
 * gap) instead of the server growing a queue.
 *
 * <p>Whatever wakes it (the stream has events, the call became ready, the call must end) only asks
 * for a drain; drains run on the pool one at a time, coalesced, so {@code onNext}, {@code onError}
 * and {@code onCompleted} are never called concurrently and a wake-up from a media thread never
 * waits for anything.
 */
final class MediaEventPump {
  private static final Logger log = LoggerFactory.getLogger(MediaEventPump.class);

  private final String kind;
  private final MediaStream stream;
  private final ServerCallStreamObserver<ConverseEvent> call;
  private final Executor pool;
  private final MediaStreamObserver observer;

  /** Wake-ups not yet answered by a drain; the one that takes it from 0 starts the drain. */
  private final AtomicInteger wanted = new AtomicInteger();

  // Written and read by drains only (serialized by `wanted`).
  private boolean ended;
  private String callId = "?";
  private long controlEvents;
  private long audioEvents;
  private MediaEvent.Statistics statistics;

  /** Set from other threads; the next drain ends the call with it. */
  private volatile Status failure;

  /** Set when the client is gone: nothing is sent any more. */
  private volatile String abandoned;

  /**
   * @param kind "Converse" or "Listen", for the log
   */
  MediaEventPump(
      String kind,
      MediaStream stream,
      ServerCallStreamObserver<ConverseEvent> call,
      Executor pool) {
    this(kind, stream, call, pool, MediaStreamObserver.NONE);
  }

  /**
   * @param observer told now that the stream opened, and once when it ends
   */
  MediaEventPump(
      String kind,
      MediaStream stream,
      ServerCallStreamObserver<ConverseEvent> call,
      Executor pool,
      MediaStreamObserver observer) {
    this.kind = kind;
    this.stream = stream;
    this.call = call;
    this.pool = pool;
    this.observer = observer;
    observer.opened(kind);
  }

  /** Starts pumping: the stream wakes it from now on, and a first drain runs. */
  void start() {
    stream.onAvailable(this::wake);
    wake();
  }

  /** Asks for a drain; cheap, never blocks, callable from any thread. */
  void wake() {
    if (wanted.getAndIncrement() != 0) {
      return;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The server is stopping: gRPC cancels the call itself.
      wanted.set(0);
    }
  }

  /** Ends the call with {@code status} after the events already sent; idempotent. */
  void fail(Status status) {
    if (failure == null) {
      failure = status;
    }
    wake();
  }

  /** The client is gone (cancelled, disconnected): stop sending, log the end. */
  void abandon(String why) {
    abandoned = why;
    wake();
  }

  private void drain() {
    // Wake-ups that arrive while a drain runs are folded into one more pass, however many.
    int missed = 1;
    while (true) {
      try {
        drainOnce();
      } catch (RuntimeException e) {
        // Never leave a call hanging on a bug of ours: the client learns, and GrpcErrors logs
        // the trace.
        if (!ended) {
          finish("failed");
          try {
            call.onError(GrpcErrors.toStatus(e, kind + " of call " + callId));
          } catch (RuntimeException ignored) {
            // the call is already closed
          }
        }
      }
      missed = wanted.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void drainOnce() {
    if (ended) {
      return;
    }
    if (abandoned != null) {
      finish(abandoned);
      return;
    }
    Status f = failure;
    if (f != null) {
      finish("refused: " + f.getCode() + ": " + f.getDescription());
      call.onError(f.asRuntimeException());
      return;
    }
    while (call.isReady()) {
      MediaEvent event = stream.poll();
      if (event == null) {
        break;
      }
      note(event);
      call.onNext(MediaMessages.toProto(event));
    }
    if (stream.isFinished()) {
      finish("completed");
      call.onCompleted();
    }
  }

  private void note(MediaEvent event) {
    if (event instanceof MediaEvent.AudioIn) {
      audioEvents++;
      return;
    }
    controlEvents++;
    if (event instanceof MediaEvent.Opened o) {
      callId = o.callId();
    } else if (event instanceof MediaEvent.Statistics s) {
      statistics = s;
    }
  }

  /** Marks the call ended and logs the stream's one summary line. */
  private void finish(String how) {
    ended = true;
    observer.ended(kind, statistics == null ? null : statistics.counters());
    if (statistics != null) {
      log.info(
          "{} stream of call {} {}: {} control and {} audio events sent; {}",
          kind,
          callId,
          how,
          controlEvents,
          audioEvents,
          MediaMessages.describe(statistics.counters()));
    } else {
      log.info(
          "{} stream of call {} {}: {} control and {} audio events sent; "
              + "final statistics not reached",
          kind,
          callId,
          how,
          controlEvents,
          audioEvents);
    }
  }
}

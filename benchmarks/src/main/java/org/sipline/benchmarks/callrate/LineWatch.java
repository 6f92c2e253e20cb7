package org.sipline.benchmarks.callrate;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.StatusEntry;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;

/**
 * WatchStatus over every line of the server: how many statuses of each type the lines reported,
 * which outgoing lines are free again, and each outgoing call's time from its SipStartCall's send
 * to its OUTGOING_CALL_CONNECTED (the status's own timestamp, taken by the server on the same
 * clock). A gap in the stream (the watcher fell behind) is counted: the counts are then not whole.
 */
final class LineWatch implements AutoCloseable {
  private final Set<String> outLines;
  private final Map<StatusType, AtomicLong> counts = new EnumMap<>(StatusType.class);
  private final ConcurrentLinkedQueue<String> free = new ConcurrentLinkedQueue<>();

  /** Out-lines with a call placed and not yet READY again, with their SipStartCall send time. */
  private final Map<String, Long> placedAtMicros = new ConcurrentHashMap<>();

  private final List<Long> connectMicros = new ArrayList<>();
  private final AtomicLong gaps = new AtomicLong();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile Throwable broken;
  private final io.grpc.Context.CancellableContext context =
      io.grpc.Context.current().withCancellation();

  private LineWatch(Set<String> outLines) {
    this.outLines = outLines;
    for (StatusType t : StatusType.values()) {
      if (t != StatusType.UNRECOGNIZED) {
        counts.put(t, new AtomicLong());
      }
    }
  }

  /**
   * Watches every line of the server on {@code channel} and returns once the history was sent;
   * {@code outLines} start free.
   */
  static LineWatch start(Channel channel, Set<String> outLines, Duration timeout)
      throws InterruptedException, TimeoutException {
    LineWatch w = new LineWatch(outLines);
    w.free.addAll(outLines);
    w.context.run(
        () ->
            LinesGrpc.newStub(channel)
                .watchStatus(
                    WatchStatusRequest.newBuilder().setAllLines(true).build(), w.observer()));
    if (!w.caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      w.close();
      throw new TimeoutException("WatchStatus did not catch up within " + timeout);
    }
    return w;
  }

  private StreamObserver<WatchEvent> observer() {
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchEvent e) {
        switch (e.getKindCase()) {
          case CAUGHT_UP -> caughtUp.countDown();
          case GAP -> gaps.incrementAndGet();
          case STATUS -> {
            if (caughtUp.getCount() == 0) {
              status(e.getStatus());
            }
          }
          default -> {}
        }
      }

      @Override
      public void onError(Throwable t) {
        broken = t;
        caughtUp.countDown();
      }

      @Override
      public void onCompleted() {
        caughtUp.countDown();
      }
    };
  }

  private void status(StatusEntry entry) {
    SipStatus s = entry.getStatus();
    StatusType type = s.getStatusType();
    AtomicLong c = counts.get(type);
    if (c != null) {
      c.incrementAndGet();
    }
    String line = entry.getLine();
    if (!outLines.contains(line)) {
      return;
    }
    if (type == StatusType.OUTGOING_CALL_CONNECTED) {
      Long placed = placedAtMicros.get(line);
      if (placed != null) {
        long at = s.getTimestamp().getSeconds() * 1_000_000L + s.getTimestamp().getNanos() / 1000;
        synchronized (connectMicros) {
          connectMicros.add(at - placed);
        }
      }
    } else if (type == StatusType.READY && placedAtMicros.remove(line) != null) {
      free.add(line);
    }
  }

  /** A free outgoing line, now marked as placing a call sent at {@code sentMicros}; or null. */
  String takeFree(long sentMicros) {
    String line = free.poll();
    if (line != null) {
      placedAtMicros.put(line, sentMicros);
    }
    return line;
  }

  /** The call on {@code line} was never placed (the rpc failed): the line is free again. */
  void notPlaced(String line) {
    if (placedAtMicros.remove(line) != null) {
      free.add(line);
    }
  }

  /** Out-lines with a call placed and not READY again. */
  int busyOutLines() {
    return placedAtMicros.size();
  }

  /** Statuses of {@code type} the lines reported since the watch caught up. */
  long count(StatusType type) {
    return counts.get(type).get();
  }

  /** Every type's count now. */
  Map<StatusType, Long> counts() {
    Map<StatusType, Long> now = new EnumMap<>(StatusType.class);
    counts.forEach((t, c) -> now.put(t, c.get()));
    return now;
  }

  /** The connect times (µs) collected so far, emptied. */
  long[] drainConnectMicros() {
    synchronized (connectMicros) {
      long[] out = connectMicros.stream().mapToLong(Long::longValue).toArray();
      connectMicros.clear();
      return out;
    }
  }

  long gaps() {
    return gaps.get();
  }

  /** The stream's error, if it ended with one. */
  Throwable broken() {
    return broken;
  }

  @Override
  public void close() {
    context.cancel(null);
  }
}

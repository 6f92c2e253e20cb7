package org.sipline.benchmarks.watch;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;

/**
 * One WatchStatus stream on the default line. It keeps, per sequence number from {@code first}, the
 * wall-clock time its entry arrived (the same clock the server's status timestamps use) and that
 * timestamp, so the delay of each status to each watcher is computed after the run.
 */
final class Watcher implements StreamObserver<WatchEvent> {
  private final long first;
  private final long[] arrived;
  private final long[] recorded;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean caughtUp;
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong outside = new AtomicLong();

  /** Written after the arrays: a reader that sees it sees every entry up to it. */
  private volatile long latest;

  private Watcher(long first, int slots) {
    this.first = first;
    this.arrived = new long[slots];
    this.recorded = new long[slots];
  }

  /** Watches the default line from after {@code after}; keeps {@code slots} entries from there. */
  static Watcher start(Channel channel, long after, int slots) {
    Watcher w = new Watcher(after + 1, slots);
    LinesGrpc.newStub(channel)
        .watchStatus(WatchStatusRequest.newBuilder().setAfterSeq(after).build(), w);
    return w;
  }

  @Override
  public void onNext(WatchEvent e) {
    long at = nanos(Instant.now());
    if (e.hasCaughtUp()) {
      caughtUp = true;
      return;
    }
    if (e.hasGap()) {
      gaps.incrementAndGet();
      return;
    }
    long i = e.getStatus().getSeq() - first;
    if (i < 0 || i >= arrived.length) {
      outside.incrementAndGet();
      return;
    }
    int slot = (int) i;
    if (arrived[slot] != 0) {
      duplicates.incrementAndGet();
      return;
    }
    var t = e.getStatus().getStatus().getTimestamp();
    recorded[slot] = t.getSeconds() * 1_000_000_000L + t.getNanos();
    arrived[slot] = at;
    latest = e.getStatus().getSeq();
  }

  @Override
  public void onError(Throwable t) {
    failure.compareAndSet(null, t);
  }

  @Override
  public void onCompleted() {
    failure.compareAndSet(null, new IllegalStateException("the server ended the watch"));
  }

  /** The newest sequence number received. */
  long latest() {
    return latest;
  }

  boolean caughtUp() {
    return caughtUp;
  }

  Throwable failure() {
    return failure.get();
  }

  /** Arrival time of the entry {@code seq}, 0 when it has not arrived. */
  long arrived(long seq) {
    return arrived[(int) (seq - first)];
  }

  /** The recording time the entry {@code seq} carried, 0 when it has not arrived. */
  long recorded(long seq) {
    return recorded[(int) (seq - first)];
  }

  long gaps() {
    return gaps.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  long outside() {
    return outside.get();
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}

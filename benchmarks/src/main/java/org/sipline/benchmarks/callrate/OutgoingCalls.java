package org.sipline.benchmarks.callrate;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;

/**
 * Places {@code count} calls at {@code rate} per second by gRPC SipStartCall, each on an outgoing
 * line the {@link LineWatch} says is free ({@code x-sipline-line}), to {@code callee}. A tick that
 * finds no free line places nothing and is counted: the run had too few lines for the rate.
 */
final class OutgoingCalls implements AutoCloseable {
  private static final Metadata.Key<String> LINE =
      Metadata.Key.of("x-sipline-line", Metadata.ASCII_STRING_MARSHALLER);

  private final Map<String, SipGrpc.SipFutureStub> stubs = new HashMap<>();
  private final LineWatch watch;
  private final String callee;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "callrate-out");
            t.setDaemon(true);
            return t;
          });

  private final AtomicLong placed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong noFreeLine = new AtomicLong();

  OutgoingCalls(Channel channel, Iterable<String> lines, LineWatch watch, String callee) {
    for (String line : lines) {
      Metadata m = new Metadata();
      m.put(LINE, line);
      stubs.put(
          line,
          SipGrpc.newFutureStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m)));
    }
    this.watch = watch;
    this.callee = callee;
  }

  /** Places {@code count} calls at {@code rate} per second; returns once the last was sent. */
  void place(int rate, int count) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger ticks = new AtomicInteger();
    long period = 1_000_000_000L / rate;
    ScheduledFuture<?> f =
        ticker.scheduleAtFixedRate(
            () -> {
              int n = ticks.incrementAndGet();
              if (n > count) {
                done.countDown();
                return;
              }
              placeOne();
              if (n == count) {
                done.countDown();
              }
            },
            0,
            period,
            TimeUnit.NANOSECONDS);
    try {
      done.await();
    } finally {
      f.cancel(false);
    }
  }

  private void placeOne() {
    Instant now = Instant.now();
    long sent = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    String line = watch.takeFree(sent);
    if (line == null) {
      noFreeLine.incrementAndGet();
      return;
    }
    Futures.addCallback(
        stubs
            .get(line)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .sipStartCall(SipStartCallRequest.newBuilder().setCalleeId(callee).build()),
        new FutureCallback<SipStatus>() {
          @Override
          public void onSuccess(SipStatus s) {
            if (s.getStatusType() == StatusType.OUTGOING_CALL_INITIATED) {
              placed.incrementAndGet();
            } else {
              refused.incrementAndGet();
              watch.notPlaced(line);
            }
          }

          @Override
          public void onFailure(Throwable t) {
            refused.incrementAndGet();
            watch.notPlaced(line);
          }
        },
        MoreExecutors.directExecutor());
  }

  /** SipStartCall answered OUTGOING_CALL_INITIATED. */
  long placed() {
    return placed.get();
  }

  /** SipStartCall refused or failed. */
  long refused() {
    return refused.get();
  }

  /** Ticks that found no free line. */
  long noFreeLine() {
    return noFreeLine.get();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}

package org.sipline.benchmarks.media;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.benchmarks.audio.SignalWav;

/**
 * The ONDEWO way of giving many calls their bot audio: each line plays the same WAV with
 * SipPlayWavFiles and, once it has played, plays it again, until stopped. One request is built for
 * all lines (the WAV is the same bytes), as {@code PacingMain}'s calls share one clip.
 */
final class PlayLoops implements AutoCloseable {
  /** As §2's pacing runs: 8 kHz mono, speech-like, 40 s. */
  private static final int WAV_MILLIS = 40_000;

  private final SipPlayWavFilesRequest request;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong played = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

  PlayLoops() {
    request =
        SipPlayWavFilesRequest.newBuilder()
            .addWavFiles(ByteString.copyFrom(SignalWav.speechLike(8000, 1, WAV_MILLIS)))
            .build();
  }

  /** Starts the loop on the line {@code channel} reaches; returns at once. */
  void start(Channel channel) {
    if (!running.get()) {
      return;
    }
    started.incrementAndGet();
    Futures.addCallback(
        SipGrpc.newFutureStub(channel).sipPlayWavFiles(request),
        new FutureCallback<SipStatus>() {
          @Override
          public void onSuccess(SipStatus result) {
            played.incrementAndGet();
            start(channel);
          }

          @Override
          public void onFailure(Throwable t) {
            if (running.get()) {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, t);
            }
          }
        },
        MoreExecutors.directExecutor());
  }

  /** Requests sent so far (the first of each line's, and each replay). */
  long started() {
    return started.get();
  }

  long played() {
    return played.get();
  }

  long failed() {
    return failed.get();
  }

  Throwable firstFailure() {
    return firstFailure.get();
  }

  /** No replay from now on; what still plays ends with its call. */
  void stop() {
    running.set(false);
  }

  @Override
  public void close() {
    stop();
  }
}

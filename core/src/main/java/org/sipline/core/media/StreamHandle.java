package org.sipline.core.media;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link MediaStream} a client holds: its reading side (poll, wake-up) and its commands, over
 * the {@link CallStream} it reads. A resumed stream gets a new handle; the old one is dead (polls
 * nothing, is finished, refuses commands).
 */
final class StreamHandle implements MediaStream {
  private static final Runnable NOTHING = () -> {};

  private final CallStream stream;
  private final AtomicBoolean waiting = new AtomicBoolean();
  private volatile Runnable wakeup = NOTHING;
  private volatile boolean dead;

  StreamHandle(CallStream stream) {
    this.stream = stream;
  }

  @Override
  public MediaEvent poll() {
    // Waiting is set before looking, so an event added meanwhile wakes us (maybe needlessly).
    waiting.set(true);
    MediaEvent e = stream.withLock(() -> stream.poll(this));
    if (e != null) {
      waiting.set(false);
    }
    return e;
  }

  @Override
  public void onAvailable(Runnable wakeup) {
    this.wakeup = Objects.requireNonNull(wakeup, "wakeup");
  }

  /** Runs the client's wake-up if it waits; on whatever thread made the event available. */
  void wake() {
    if (waiting.getAndSet(false)) {
      wakeup.run();
    }
  }

  @Override
  public boolean isFinished() {
    return dead || stream.withLock(stream::isFinished);
  }

  /** Replaced by a resumed handle: this one is finished for its client. */
  void kill() {
    dead = true;
    wake();
  }

  @Override
  public String resumeToken() {
    return stream.writer == null ? "" : stream.token;
  }

  private Writer writer(String command) {
    if (stream.writer == null) {
      throw new IllegalStateException(command + " on a Listen stream: only Converse writes");
    }
    if (dead) {
      throw new IllegalStateException(command + " on a stream that was detached or resumed");
    }
    return stream.writer;
  }

  @Override
  public void audio(String utteranceId, byte[] data, boolean endOfUtterance) {
    writer("audio").audio(utteranceId, data, endOfUtterance);
  }

  @Override
  public void mark(String id) {
    writer("mark").mark(id);
  }

  @Override
  public void clear(String throughUtterance) {
    writer("clear").clear(throughUtterance);
  }

  @Override
  public void pause() {
    writer("pause").pause(true);
  }

  @Override
  public void resume() {
    writer("resume").pause(false);
  }

  @Override
  public void sendDtmf(String digits, int durationMs, int gapMs) {
    writer("send_dtmf").sendDtmf(digits, durationMs, gapMs);
  }

  @Override
  public void detach() {
    if (dead) {
      return;
    }
    dead = true;
    stream.hub.detach(stream, this, false);
  }

  @Override
  public void detachKeepingQueue() {
    if (dead) {
      return;
    }
    dead = true;
    stream.hub.detach(stream, this, true);
  }

  @Override
  public void close() {
    if (dead) {
      return;
    }
    stream.hub.close(stream, this);
  }

  @Override
  public String toString() {
    return stream + (dead ? " (dead handle)" : "");
  }
}

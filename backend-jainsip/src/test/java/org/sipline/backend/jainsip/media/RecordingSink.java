package org.sipline.backend.jainsip.media;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.DtmfEvent;

/**
 * Notes what a call's sink is told, in order: samples written, samples missing and DTMF events
 * (with when each arrived). Tests wait on it with a timeout. Public for the call-level tests.
 */
public final class RecordingSink implements AudioSink {
  /** A DTMF event and {@link System#nanoTime()} when it reached the sink. */
  public record Timed(DtmfEvent event, long nanos) {}

  private final List<Timed> dtmf = new ArrayList<>();
  private long written;
  private long missing;
  private int missingCalls;

  @Override
  public synchronized void write(short[] pcm, int offset, int length) {
    written += length;
    notifyAll();
  }

  @Override
  public synchronized void missing(int samples) {
    if (samples <= 0) {
      throw new AssertionError("missing(" + samples + ")");
    }
    missing += samples;
    missingCalls++;
    notifyAll();
  }

  @Override
  public synchronized void dtmf(DtmfEvent event) {
    dtmf.add(new Timed(event, System.nanoTime()));
    notifyAll();
  }

  public synchronized long written() {
    return written;
  }

  public synchronized long missing() {
    return missing;
  }

  public synchronized int missingCalls() {
    return missingCalls;
  }

  /** The DTMF events so far. */
  public synchronized List<DtmfEvent> dtmf() {
    return dtmf.stream().map(Timed::event).toList();
  }

  public synchronized List<Timed> timedDtmf() {
    return List.copyOf(dtmf);
  }

  /** Waits until {@code count} DTMF events came, then returns all of them. */
  public List<DtmfEvent> awaitDtmf(int count, Duration timeout) throws InterruptedException {
    await(s -> s.dtmf.size() >= count, timeout, () -> count + " DTMF events, have " + dtmf());
    return dtmf();
  }

  /** Waits until at least {@code samples} samples were written. */
  public void awaitWritten(long samples, Duration timeout) throws InterruptedException {
    await(s -> s.written >= samples, timeout, () -> samples + " samples, have " + written());
  }

  private synchronized void await(
      Predicate<RecordingSink> done, Duration timeout, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(this)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("waited " + timeout + " for " + what.get());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}

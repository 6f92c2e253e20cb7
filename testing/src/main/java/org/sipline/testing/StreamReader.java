package org.sipline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.MediaStream;

/**
 * Reads a {@link MediaStream} the way a transport does (poll until null, then wait for the wake-up)
 * and keeps every event, so tests can wait for one with a bound instead of sleeping.
 */
public final class StreamReader {
  private final MediaStream stream;
  private final List<MediaEvent> events = new ArrayList<>();
  private final Object signal = new Object();
  private boolean woken;
  private int cursor;

  /**
   * A reader that polls {@code stream} whenever it says events are ready.
   *
   * @param stream the stream to read
   */
  public StreamReader(MediaStream stream) {
    this.stream = stream;
    stream.onAvailable(
        () -> {
          synchronized (signal) {
            woken = true;
            signal.notifyAll();
          }
        });
  }

  /**
   * The stream being read.
   *
   * @return the stream
   */
  public MediaStream stream() {
    return stream;
  }

  /**
   * Takes whatever is ready now.
   *
   * @return the events, possibly none
   */
  public synchronized List<MediaEvent> drain() {
    List<MediaEvent> now = new ArrayList<>();
    for (MediaEvent e = stream.poll(); e != null; e = stream.poll()) {
      now.add(e);
    }
    events.addAll(now);
    return now;
  }

  /**
   * The next event (after the last one this returned) that is a {@code type} matching {@code
   * match}, reading until it comes or {@code timeout} passes.
   *
   * @param <T> the event's type
   * @param type the event's class
   * @param match what the event must be
   * @param timeout how long to read at most
   * @return the event
   */
  public <T extends MediaEvent> T await(Class<T> type, Predicate<T> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      synchronized (this) {
        drain();
        for (int i = cursor; i < events.size(); i++) {
          MediaEvent e = events.get(i);
          if (type.isInstance(e) && match.test(type.cast(e))) {
            cursor = i + 1;
            return type.cast(e);
          }
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "no matching " + type.getSimpleName() + " within " + timeout + "; events: " + all());
      }
      synchronized (signal) {
        if (!woken) {
          try {
            signal.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 20)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
          }
        }
        woken = false;
      }
    }
  }

  /**
   * The next event (after the last one this returned) that is a {@code type}, reading until it
   * comes or {@code timeout} passes.
   *
   * @param <T> the event's type
   * @param type the event's class
   * @param timeout how long to read at most
   * @return the event
   */
  public <T extends MediaEvent> T await(Class<T> type, Duration timeout) {
    return await(type, e -> true, timeout);
  }

  /**
   * Every event read so far, in order.
   *
   * @return the events
   */
  public synchronized List<MediaEvent> all() {
    return new ArrayList<>(events);
  }

  /**
   * Every event of {@code type} read so far.
   *
   * @param <T> the events' type
   * @param type the events' class
   * @return the events
   */
  public synchronized <T extends MediaEvent> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (MediaEvent e : events) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  /**
   * Reads until the stream is finished (its Statistics taken), bounded.
   *
   * @param timeout how long to read at most
   * @return every event read, in order
   */
  public List<MediaEvent> awaitFinished(Duration timeout) {
    await(MediaEvent.Statistics.class, timeout);
    if (!stream.isFinished()) {
      throw new AssertionError("Statistics came but the stream is not finished");
    }
    return all();
  }
}

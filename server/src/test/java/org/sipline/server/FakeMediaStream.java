package org.sipline.server;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.MediaStream;

/**
 * A {@link MediaStream} the test drives: it hands out what the test {@link #emit}s, in order, and
 * records every command as a line of text ({@code "mark m1"}, {@code "detach"}). Its queue is
 * unbounded on purpose, so a test can see how much of it the server takes ({@link #polled()}).
 */
final class FakeMediaStream implements MediaStream {
  private final boolean listen;
  private final Queue<MediaEvent> events = new ConcurrentLinkedQueue<>();
  private final AtomicLong polled = new AtomicLong();
  private volatile Runnable wakeup = () -> {};
  private volatile boolean ended;

  /** Commands received, as text, in order. */
  final List<String> commands = new CopyOnWriteArrayList<>();

  /** Mark ids the stream refuses as reused. */
  final Set<String> usedMarks = java.util.concurrent.ConcurrentHashMap.newKeySet();

  FakeMediaStream(boolean listen) {
    this.listen = listen;
  }

  /** Queues events for the client and wakes the reader. */
  FakeMediaStream emit(MediaEvent... more) {
    events.addAll(List.of(more));
    wakeup.run();
    return this;
  }

  /** No event after those queued: the stream finishes once they have been polled. */
  void end() {
    ended = true;
    wakeup.run();
  }

  long polled() {
    return polled.get();
  }

  int waiting() {
    return events.size();
  }

  @Override
  public MediaEvent poll() {
    MediaEvent e = events.poll();
    if (e != null) {
      polled.incrementAndGet();
    }
    return e;
  }

  @Override
  public void onAvailable(Runnable wakeup) {
    this.wakeup = wakeup;
  }

  @Override
  public boolean isFinished() {
    return ended && events.isEmpty();
  }

  @Override
  public String resumeToken() {
    return "token-1";
  }

  @Override
  public void audio(String utteranceId, byte[] data, boolean endOfUtterance) {
    writer();
    if (data.length > 65536) {
      throw new InvalidArgumentException("audio.data", data.length + " bytes > 65536");
    }
    commands.add("audio " + utteranceId + " " + data.length + (endOfUtterance ? " end" : ""));
  }

  @Override
  public void mark(String id) {
    writer();
    if (!usedMarks.add(id)) {
      throw new InvalidArgumentException("mark.id", "\"" + id + "\" was used before");
    }
    commands.add("mark " + id);
  }

  @Override
  public void clear(String throughUtterance) {
    writer();
    commands.add("clear " + throughUtterance);
  }

  @Override
  public void pause() {
    writer();
    commands.add("pause");
  }

  @Override
  public void resume() {
    writer();
    commands.add("resume");
  }

  @Override
  public void sendDtmf(String digits, int durationMs, int gapMs) {
    writer();
    commands.add("dtmf " + digits + " " + durationMs + "/" + gapMs);
  }

  @Override
  public void detach() {
    commands.add("detach");
  }

  @Override
  public void detachKeepingQueue() {
    commands.add("detach keeping queue");
  }

  @Override
  public void close() {
    commands.add("close");
  }

  private void writer() {
    if (listen) {
      throw new IllegalStateException("a Listen stream takes no commands");
    }
  }
}

package org.sipline.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sipline.core.media.ConverseOptions;
import org.sipline.core.media.LineMedia;
import org.sipline.core.media.ListenOptions;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.MediaStream;

/**
 * A {@link LineMedia} the test drives: each stream it opens is a fresh {@link FakeMediaStream}
 * (kept in {@link #streams}), unless {@link #refusal} says to throw; {@link #interrupts} record the
 * Interrupt requests and {@link #interruptAnswer} answers them.
 */
final class FakeLineMedia implements LineMedia {
  final List<ConverseOptions> converses = new CopyOnWriteArrayList<>();
  final List<ListenOptions> listens = new CopyOnWriteArrayList<>();
  final List<FakeMediaStream> streams = new CopyOnWriteArrayList<>();
  final List<String> interrupts = new CopyOnWriteArrayList<>();

  /** Thrown by the next converse, listen or interrupt instead of answering. */
  volatile RuntimeException refusal;

  volatile CompletableFuture<MediaEvent.Cleared> interruptAnswer = new CompletableFuture<>();

  @Override
  public MediaStream converse(ConverseOptions options) {
    converses.add(options);
    return open(false);
  }

  @Override
  public MediaStream listen(ListenOptions options) {
    listens.add(options);
    return open(true);
  }

  @Override
  public CompletableFuture<MediaEvent.Cleared> interrupt(String callId, String throughUtterance) {
    interrupts.add(callId + "/" + throughUtterance);
    RuntimeException r = refusal;
    if (r != null) {
      throw r;
    }
    return interruptAnswer;
  }

  /** The last stream opened. */
  FakeMediaStream stream() {
    return streams.get(streams.size() - 1);
  }

  private MediaStream open(boolean listen) {
    RuntimeException r = refusal;
    if (r != null) {
      throw r;
    }
    FakeMediaStream s = new FakeMediaStream(listen);
    streams.add(s);
    return s;
  }
}

package org.sipline.backend.jainsip.media;

import java.util.concurrent.atomic.AtomicInteger;

/** A stream that only counts the frames the pacer asks of it. */
final class CountingStream implements PacedStream {
  final AtomicInteger frames = new AtomicInteger();

  @Override
  public void sendFrame() {
    frames.incrementAndGet();
  }

  @Override
  public void skipFrames(int n) {}
}

package org.sipline.backend.jainsip.media;

import java.util.ArrayList;
import java.util.List;

/** A paced stream that notes when it was asked for each frame and which frames it skipped. */
final class RecordingStream implements PacedStream {
  private final MediaClock clock;
  final List<Long> sendTimes = new ArrayList<>();
  final List<Integer> skips = new ArrayList<>();

  RecordingStream(MediaClock clock) {
    this.clock = clock;
  }

  @Override
  public void sendFrame() {
    sendTimes.add(clock.nanoTime());
  }

  @Override
  public void skipFrames(int frames) {
    skips.add(frames);
  }
}

package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.media.MediaRig.FRAME;
import static org.sipline.core.media.MediaRig.constant;
import static org.sipline.core.media.MediaRig.drain;
import static org.sipline.core.media.MediaRig.le;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The pacer's side of a call with a live writer allocates nothing: not when marks resolve,
 * utterances end, clears take effect or Playout reports fall due. A pacer that allocates can be
 * stalled by a full heap, and with it the RTP of every call.
 */
class PacerAllocationTest {
  @Test
  void readAndSentAllocateNothingWhileMarksResolveUtterancesEndAndClearsApply() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(
            threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled())
        .as("this JVM measures allocation per thread")
        .isTrue();
    long tid = Thread.currentThread().getId();
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = rig.hub.converse(ConverseOptions.defaults(CallSelector.CURRENT));
      int[] wakeups = new int[1];
      s.onAvailable(() -> wakeups[0]++);
      drain(s);
      short[] frame = new short[FRAME];
      long allocated = 0;
      int marks = 0;
      int clears = 0;
      for (int f = 0; f < 600; f++) {
        // The client's side, not measured: a short utterance and a mark every 10 frames, a
        // clear every 25, events taken after every frame.
        if (f % 10 == 0) {
          s.audio("u" + f, le(constant(3 * FRAME / 2, 100 + f % 7)), true);
          s.mark("m" + f);
          marks++;
        }
        if (f % 25 == 12) {
          s.clear("");
          clears++;
        }
        long before = threads.getThreadAllocatedBytes(tid);
        rig.source.read(frame);
        rig.source.sent(true);
        long after = threads.getThreadAllocatedBytes(tid);
        if (f >= 200) { // after warm-up (class loading, the JIT's first tiers)
          allocated += after - before;
        }
        drain(s);
      }
      assertThat(marks).isEqualTo(60);
      assertThat(clears).isEqualTo(24);
      assertThat(wakeups[0]).as("the pacer woke the reader").isGreaterThan(100);
      // Measuring itself costs a few bytes per call; per-frame garbage would be tens of KB.
      assertThat(allocated).as("bytes allocated by 400 frames").isLessThan(2000);
    }
  }
}

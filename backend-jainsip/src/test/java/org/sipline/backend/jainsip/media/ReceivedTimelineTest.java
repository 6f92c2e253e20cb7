package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gaps of a received stream, from timestamps and, where those jump, from arrival times. */
class ReceivedTimelineTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final ReceivedTimeline timeline = new ReceivedTimeline();

  @Test
  void nothingIsMissingBeforeTheFirstPacketOrInAnUnbrokenStream() {
    assertThat(timeline.next(123_456, 160, 0)).isZero();
    for (int i = 1; i < 50; i++) {
      assertThat(timeline.next(123_456 + i * 160L, 160, i * 20L * MS)).isZero();
    }
    assertThat(timeline.missing()).isZero();
  }

  @Test
  void lostPacketsAreMissingByTheirTimestamps() {
    timeline.next(1000, 160, 0);
    assertThat(timeline.next(1000 + 4 * 160, 160, 80 * MS)).isEqualTo(3 * 160);
    assertThat(timeline.next(1000 + 5 * 160, 160, 100 * MS)).isZero();
    assertThat(timeline.missing()).isEqualTo(480);
  }

  @Test
  void aGapIsCountedFromTimestampsEvenWhenThePacketsArriveInABurst() {
    timeline.next(1000, 160, 0);
    // Held back by the network and released together: the timestamps are the truth.
    assertThat(timeline.next(1000 + 2 * 160, 160, 100 * MS)).isEqualTo(160);
    assertThat(timeline.next(1000 + 3 * 160, 160, 100 * MS)).isZero();
  }

  @Test
  void packetsOfOtherSizesAreCountedInSamples() {
    timeline.next(0, 80, 0); // 10 ms packets
    assertThat(timeline.next(240, 80, 30 * MS)).isEqualTo(160);
  }

  @Test
  void timestampsWrapAt2To32() {
    timeline.next(0xFFFF_FF60L, 160, 0);
    assertThat(timeline.next(0, 160, 20 * MS)).isZero();
    assertThat(timeline.next(320, 160, 60 * MS)).isEqualTo(160);
  }

  @Test
  void aTimestampJumpBeyondTheElapsedTimeIsANewTimelineMeasuredByArrivals() {
    timeline.next(1000, 160, 0);
    // 10 minutes' worth of timestamp in 60 ms: a restarted sender, not a gap of 10 minutes.
    assertThat(timeline.next(1000 + 4_800_000L, 160, 60 * MS)).isEqualTo(2 * 160);
    assertThat(timeline.next(1000 + 4_800_160L, 160, 80 * MS)).isZero();
  }

  @Test
  void aTimestampGoingBackIsANewTimelineToo() {
    timeline.next(50_000, 160, 0);
    assertThat(timeline.next(10_000, 160, 20 * MS)).isZero();
    assertThat(timeline.next(10_160, 160, 40 * MS)).isZero();
  }

  @Test
  void aLongSilenceWithTheClockRunningIsMissingInFull() {
    timeline.next(1000, 160, 0);
    // Hold or silence suppression for 30 s; the timestamp ran with the wall clock.
    assertThat(timeline.next(1000 + 160 + 240_000, 160, 30_020 * MS)).isEqualTo(240_000);
  }

  @Test
  void aNewStreamIsMeasuredByArrivalTimeInWholePacketsSoJitterIsNoLoss() {
    timeline.next(1000, 160, 0);
    timeline.newStream();
    assertThat(timeline.next(777_777, 160, 27 * MS)).isZero(); // 7 ms late: jitter
    timeline.newStream();
    assertThat(timeline.next(5, 160, 27 * MS + 100 * MS)).isEqualTo(4 * 160); // 80 ms silent
    assertThat(timeline.next(165, 160, 147 * MS)).isZero();
  }
}

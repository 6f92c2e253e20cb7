package org.sipline.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatchingTest {
  @Test
  void eachRequestArrivesWithTheFirstSegmentAtOrAfterItsSend() {
    long[] sent = {100, 200, 300, 400};
    List<Long> segments = List.of(50L, 100L, 150L, 260L, 270L, 390L);

    assertThat(Matching.arrivals(sent, segments)).containsExactly(100, 260, 390, -1);
  }

  @Test
  void aRequestWithNoKnownArrivalHasNoDelay() {
    long[] arrived = {-1, 210};
    List<WireEvents.Rtp> packets =
        List.of(
            new WireEvents.Rtp(205, false),
            new WireEvents.Rtp(220, false),
            new WireEvents.Rtp(240, true));

    assertThat(Matching.rtp(arrived, packets, WireEvents.Rtp::silent)).containsExactly(-1, 30);
    assertThat(Matching.rtp(arrived, packets, p -> !p.silent())).containsExactly(-1, 10);
  }
}

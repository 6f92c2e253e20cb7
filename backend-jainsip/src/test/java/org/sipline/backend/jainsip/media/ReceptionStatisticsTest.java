package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.sipline.core.spi.ReceptionReport;

/** RFC 3550 A.1, A.3 and A.8 on streams whose loss, order and timing the test sets. */
class ReceptionStatisticsTest {
  private static final long MS = 1_000_000L;

  private final ReceptionStatistics s = new ReceptionStatistics(8000);

  /** Packet {@code i} of a 20 ms stream, arriving {@code extraMs} late. */
  private void packet(int seqBase, int i, long extraMs) {
    s.onPacket(7, (seqBase + i) & 0xFFFF, 1000L + 160L * i, (20L * i + extraMs) * MS, 160, true);
  }

  @Test
  void nothingReceivedIsNothingReported() {
    assertThat(s.report()).isEqualTo(ReceptionReport.NONE);
    assertThat(s.expected()).isZero();
  }

  @Test
  void evenStreamHasNoLossAndNoJitter() {
    for (int i = 0; i < 100; i++) {
      packet(100, i, 0);
    }
    assertThat(s.expected()).isEqualTo(100);
    assertThat(s.cumulativeLost()).isZero();
    assertThat(s.jitter()).isZero();
    assertThat(s.takeFractionLost()).isZero();
    assertThat(s.octets()).isEqualTo(16_000);
  }

  @Test
  void lossIsCountedAcrossTheSequenceWrapAndTheFractionPerInterval() {
    for (int i = 0; i < 200; i++) {
      if (i % 10 != 3) { // a tenth lost
        packet(65_500, i, 0);
      }
    }
    assertThat(s.extendedHighestSequence()).isEqualTo(65_536 + (65_500 + 199 - 65_536));
    assertThat(s.expected()).isEqualTo(200);
    assertThat(s.cumulativeLost()).isEqualTo(20);
    assertThat(s.takeFractionLost()).isEqualTo(25); // 20/200 · 256 = 25.6, truncated
    for (int i = 200; i < 300; i++) {
      packet(65_500, i, 0);
    }
    assertThat(s.takeFractionLost()).as("the next interval lost nothing").isZero();
    ReceptionReport r = s.report();
    assertThat(r.expected()).isEqualTo(300);
    assertThat(r.cumulativeLost()).isEqualTo(20);
    assertThat(r.lossRatio()).isCloseTo(20 / 300.0, offset(1e-9));
  }

  @Test
  void duplicatesMakeLossNegativeAndReorderingIsNotLoss() {
    packet(0, 0, 0);
    packet(0, 2, 0);
    packet(0, 1, 0);
    packet(0, 2, 0);
    assertThat(s.expected()).isEqualTo(3);
    assertThat(s.cumulativeLost()).isEqualTo(-1);
  }

  @Test
  void jitterFollowsA8ForAlternatingDelay() {
    // Every other packet 10 ms late: |D| = 80 timestamp units each time; J converges to 80.
    for (int i = 0; i < 2000; i++) {
      packet(0, i, i % 2 == 0 ? 0 : 10);
    }
    assertThat(s.jitter()).isBetween(78L, 80L);
    assertThat(s.report().jitterMillis()).isCloseTo(10, offset(0.3));
  }

  @Test
  void telephoneEventsCountForLossButNotJitter() {
    for (int i = 0; i < 50; i++) {
      // Events keep the digit's start timestamp: as audio that would be 20 ms of jitter each.
      s.onPacket(7, i, 1000, 20L * i * MS, 4, false);
    }
    assertThat(s.expected()).isEqualTo(50);
    assertThat(s.jitter()).isZero();
  }

  @Test
  void aNewSsrcOrARestartedSequenceStartsAfresh() {
    for (int i = 0; i < 10; i++) {
      packet(0, i, 0);
    }
    s.onPacket(8, 5000, 0, 300 * MS, 160, true);
    assertThat(s.ssrc()).isEqualTo(8);
    assertThat(s.expected()).isEqualTo(1);
    // A jump far ahead: the first is taken as a stray, the second in a row as a restart.
    s.onPacket(8, 40_000, 0, 320 * MS, 160, true);
    assertThat(s.expected()).isEqualTo(1);
    s.onPacket(8, 40_001, 160, 340 * MS, 160, true);
    assertThat(s.expected()).isEqualTo(1);
    assertThat(s.received()).isEqualTo(1);
  }
}

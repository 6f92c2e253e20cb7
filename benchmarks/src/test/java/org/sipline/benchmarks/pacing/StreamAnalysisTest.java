package org.sipline.benchmarks.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.benchmarks.harness.CapturedPacket;

class StreamAnalysisTest {
  private static final long MS = 1_000_000;
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final int SINK = 40_000;

  @Test
  void aPerfectlyPacedStreamDeviatesByNothing() {
    List<CapturedPacket> p = stream(5000, 7, 0, 0, new long[] {0, 20, 40, 60, 80});

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> port == SINK);

    assertThat(s.streams()).isEqualTo(1);
    assertThat(s.packets()).isEqualTo(5);
    assertThat(s.intervals()).isEqualTo(4);
    assertThat(s.max()).isZero();
    assertThat(s.lostFrames()).isZero();
    assertThat(s.late()).isZero();
    assertThat(s.maxLateness()).isZero();
  }

  @Test
  void aLateWakeUpCountsTwiceAndPutsThePacketBehindSchedule() {
    // The third packet leaves 3 ms late: its interval is 23 ms, the next one 17 ms.
    List<CapturedPacket> p = stream(5000, 7, 0, 0, new long[] {0, 20, 43, 60, 80});

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> true);

    assertThat(s.p50()).isZero();
    assertThat(s.max()).isEqualTo(3 * MS);
    assertThat(s.p99()).isEqualTo(3 * MS);
    assertThat(s.maxLateness()).isEqualTo(3 * MS);
    assertThat(s.late()).isZero();
  }

  @Test
  void anOpusStreamIsTimedByItsFortyEightKilohertzClock() {
    // 960 ticks a frame; the third packet 3 ms late. At 8 kHz these steps would be 120 ms each.
    List<CapturedPacket> p =
        List.of(
            packet(0, 5000, 1, 0, 0),
            packet(20, 5000, 1, 1, 960),
            packet(43, 5000, 1, 2, 1920),
            packet(60, 5000, 1, 3, 2880),
            packet(100, 5000, 1, 4, 4800));

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> true, 48000);

    assertThat(s.max()).isEqualTo(3 * MS);
    assertThat(s.maxLateness()).isEqualTo(3 * MS);
    assertThat(s.lostFrames()).as("the last step skips one 960-tick frame").isEqualTo(1);
    assertThatThrownBy(() -> StreamAnalysis.analyse(p, T0, T0 + MS, port -> true, 44_110))
        .hasMessageContaining("44110 Hz");
  }

  @Test
  void aSkippedFrameIsLostNotADeviation() {
    // Sequence 0,1,2 but the timestamp jumps two frames between the 2nd and 3rd packet.
    List<CapturedPacket> p =
        List.of(packet(0, 5000, 1, 0, 0), packet(20, 5000, 1, 1, 160), packet(60, 5000, 1, 2, 480));

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> true);

    assertThat(s.lostFrames()).isEqualTo(1);
    assertThat(s.missedByCapture()).isZero();
    assertThat(s.max()).isZero();
  }

  @Test
  void aSequenceGapIsAPacketTheCaptureMissedAndIsNotTimed() {
    List<CapturedPacket> p =
        List.of(
            packet(0, 5000, 1, 10, 1600),
            packet(20, 5000, 1, 11, 1760),
            packet(61, 5000, 1, 13, 2080));

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> true);

    assertThat(s.missedByCapture()).isEqualTo(1);
    assertThat(s.lostFrames()).isZero();
    assertThat(s.intervals()).isEqualTo(1);
  }

  @Test
  void countersThatWrapStillAdvance() {
    List<CapturedPacket> p =
        List.of(
            packet(0, 5000, 1, 65535, 0xFFFF_FFFFL - 100),
            packet(20, 5000, 1, 0, 59),
            packet(40, 5000, 1, 1, 219));

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> true);

    assertThat(s.intervals()).isEqualTo(2);
    assertThat(s.max()).isZero();
    assertThat(s.disordered()).isZero();
  }

  @Test
  void aPacketBehindScheduleByMoreThanAFrameIsLate() {
    // From the fourth packet on, everything is 25 ms behind.
    List<CapturedPacket> p = stream(5000, 7, 0, 0, new long[] {0, 20, 40, 85, 105});

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> true);

    assertThat(s.late()).isEqualTo(2);
    assertThat(s.maxLateness()).isEqualTo(25 * MS);
  }

  @Test
  void streamsAreToldApartBySourcePortAndSsrcAndPooled() {
    List<CapturedPacket> p = new ArrayList<>();
    p.addAll(stream(5000, 1, 0, 0, new long[] {0, 20, 40}));
    p.addAll(stream(5000, 2, 100, 9000, new long[] {5, 26, 45}));
    p.addAll(stream(5002, 1, 0, 0, new long[] {10, 30, 50}));
    p.sort(Comparator.comparingLong(CapturedPacket::epochNanos));

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> true);

    assertThat(s.streams()).isEqualTo(3);
    assertThat(s.intervals()).isEqualTo(6);
    assertThat(s.max()).isEqualTo(1 * MS);
  }

  @Test
  void onlyPacketsInsideTheWindowAndToTheChosenSinkCount() {
    List<CapturedPacket> p =
        new ArrayList<>(stream(5000, 1, 0, 0, new long[] {0, 20, 40, 60, 80, 100}));
    p.add(new CapturedPacket(T0 + 50 * MS, 6000, SINK + 1, 3, 0, 0));

    PacingStats s = StreamAnalysis.analyse(p, T0 + 20 * MS, T0 + 80 * MS, port -> port == SINK);

    assertThat(s.streams()).isEqualTo(1);
    assertThat(s.packets()).isEqualTo(3);
  }

  @Test
  void aRepeatedPacketIsDisorderedAndIgnored() {
    List<CapturedPacket> p =
        List.of(
            packet(0, 5000, 1, 0, 0),
            packet(20, 5000, 1, 1, 160),
            packet(21, 5000, 1, 1, 160),
            packet(40, 5000, 1, 2, 320));

    PacingStats s = StreamAnalysis.analyse(p, T0, T0 + 1000 * MS, port -> true);

    assertThat(s.disordered()).isEqualTo(1);
    assertThat(s.max()).isZero();
  }

  @Test
  void nothingCapturedGivesNoFigures() {
    PacingStats s = StreamAnalysis.analyse(List.of(), T0, T0 + MS, port -> true);

    assertThat(s.streams()).isZero();
    assertThat(s.p99()).isEqualTo(-1);
    assertThat(s.maxLateness()).isEqualTo(-1);
  }

  /** Packets of one stream at {@code millis} after T0, one frame apart in RTP. */
  private static List<CapturedPacket> stream(
      int srcPort, long ssrc, int seq0, long ts0, long[] millis) {
    List<CapturedPacket> out = new ArrayList<>();
    for (int i = 0; i < millis.length; i++) {
      out.add(packet(millis[i], srcPort, ssrc, (seq0 + i) & 0xFFFF, ts0 + 160L * i));
    }
    return out;
  }

  private static CapturedPacket packet(long millis, int srcPort, long ssrc, int seq, long ts) {
    return new CapturedPacket(T0 + millis * MS, srcPort, SINK, ssrc, seq, ts);
  }
}

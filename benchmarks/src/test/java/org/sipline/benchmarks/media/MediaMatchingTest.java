package org.sipline.benchmarks.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaMatchingTest {
  private static final long MS = 1_000_000;
  private static final byte SILENCE = (byte) 0xFF;
  private static final byte AUDIO = (byte) 0xA0;

  /** sipline's packet {@code k} of a call whose first timestamp is {@code ts0}, sent at k·20 ms. */
  private static MediaWire.Out out(long ts0, int k, byte[] payload) {
    return new MediaWire.Out(
        1000 * MS + k * 20L * MS, 5000, 6000, 42, k, (ts0 + 160L * k) & 0xFFFF_FFFFL, payload);
  }

  private static byte[] fill(byte b) {
    byte[] p = new byte[160];
    Arrays.fill(p, b);
    return p;
  }

  /** Audio for {@code n} samples, then silence. */
  private static byte[] audioThenSilence(int n) {
    byte[] p = fill(SILENCE);
    Arrays.fill(p, 0, n, AUDIO);
    return p;
  }

  @Test
  void inboundMapsPositionsToTheCallersTimestampsAcrossTheirWrap() {
    long anchorTs = 0xFFFF_FF00L; // the caller's clock wraps after the second packet
    Map<Long, Long> capture =
        Map.of(anchorTs, 100 * MS, (anchorTs + 160) & 0xFFFF_FFFFL, 120 * MS, 0x40L, 140 * MS);
    long[] positions = {800, 960, 1120};
    long[] received = {101 * MS, 122 * MS, 143 * MS};

    long[] delays =
        MediaMatching.inbound(positions, received, 800, anchorTs, capture, 0, Long.MAX_VALUE);

    assertThat(delays).containsExactly(1 * MS, 2 * MS, 3 * MS);
  }

  @Test
  void inboundKeepsOnlyPacketsInTheWindowAndCountsEventsWithoutAPacketThere() {
    Map<Long, Long> capture = Map.of(0L, 100 * MS, 160L, 120 * MS);
    long[] positions = {0, 160, 320, 480};
    long[] received = {101 * MS, 121 * MS, 141 * MS, 500 * MS};

    long[] delays = MediaMatching.inbound(positions, received, 0, 0, capture, 110 * MS, 200 * MS);

    // 0: its packet is before the window; 320: no packet, received in it; 480: received after.
    assertThat(delays).containsExactly(1 * MS, -1);
  }

  @Test
  void theServersShareEndsAtTheLastSegmentBeforeTheClientHadTheEvent() {
    Map<Long, Long> capture = Map.of(0L, 100 * MS, 160L, 120 * MS);
    long[] segments = {99 * MS, 101 * MS, 102 * MS, 125 * MS};

    long[] toWire =
        MediaMatching.inboundToWire(
            new long[] {0, 160},
            new long[] {103 * MS, 121 * MS},
            0,
            0,
            capture,
            segments,
            0,
            Long.MAX_VALUE);

    // The second event's last segment (102 ms) went before its packet: not its carrier.
    assertThat(toWire).containsExactly(2 * MS, -1);
  }

  @Test
  void firstAudioIsTheFirstPacketWithAnAudibleSampleAtOrAfterTheSend() {
    List<MediaWire.Out> out = new ArrayList<>();
    out.add(out(0, 0, fill(SILENCE)));
    out.add(out(0, 1, fill(SILENCE)));
    out.add(out(0, 2, audioThenSilence(7)));
    out.add(out(0, 3, fill(SILENCE)));

    long[] delays = MediaMatching.firstAudio(new long[] {1010 * MS, 1045 * MS}, out);

    assertThat(delays).containsExactly(30 * MS, -1);
  }

  @Test
  void aClearTakesEffectInTheFadeFrameAndIsSilentInTheNext() {
    List<MediaWire.Out> out = new ArrayList<>();
    out.add(out(0, 0, fill(AUDIO)));
    out.add(out(0, 1, fill(AUDIO)));
    out.add(out(0, 2, audioThenSilence(32)));
    out.add(out(0, 3, fill(SILENCE)));
    long[] sent = {1025 * MS};

    assertThat(MediaMatching.clearEffect(sent, out, false)).containsExactly(15 * MS);
    assertThat(MediaMatching.clearEffect(sent, out, true)).containsExactly(35 * MS);
  }

  @Test
  void aClearSentWhileNothingPlayedIsNotCounted() {
    List<MediaWire.Out> out = List.of(out(0, 0, fill(SILENCE)), out(0, 1, fill(SILENCE)));

    assertThat(MediaMatching.clearEffect(new long[] {1005 * MS}, out, false)).containsExactly(-1);
  }

  @Test
  void aMarkIsTimedFromThePacketHoldingItsLastSampleAndCheckedAgainstTheWire() {
    long ts0 = 0xFFFF_FFA0L;
    List<MediaWire.Out> out = new ArrayList<>();
    out.add(out(ts0, 0, fill(SILENCE)));
    out.add(out(ts0, 1, fill(AUDIO)));
    out.add(out(ts0, 2, audioThenSilence(37))); // the audio ends at position 320 + 37
    out.add(out(ts0, 3, fill(SILENCE)));
    Map<Long, MediaWire.Out> byPosition = MediaMatching.byPosition(out);

    MediaMatching.MarkCheck exact = MediaMatching.mark(357, 1041 * MS + 500_000, byPosition);
    MediaMatching.MarkCheck late = MediaMatching.mark(359, 1041 * MS, byPosition);

    assertThat(exact.delayNanos()).isEqualTo(1 * MS + 500_000); // packet 2 went at 1040 ms
    assertThat(exact.positionError()).isZero();
    assertThat(late.positionError()).isEqualTo(2);
  }

  @Test
  void aMarkAtAPacketBoundaryIsTimedFromThePacketBefore() {
    List<MediaWire.Out> out = new ArrayList<>();
    out.add(out(0, 0, fill(AUDIO)));
    out.add(out(0, 1, fill(SILENCE)));
    Map<Long, MediaWire.Out> byPosition = MediaMatching.byPosition(out);

    MediaMatching.MarkCheck m = MediaMatching.mark(160, 1002 * MS, byPosition);

    assertThat(m.delayNanos()).isEqualTo(2 * MS);
    assertThat(m.positionError()).isZero();
  }

  @Test
  void theAudibleRunCountsAnUtterancesSamplesOnTheWire() {
    List<MediaWire.Out> out = new ArrayList<>();
    out.add(out(0, 0, fill(SILENCE)));
    out.add(out(0, 1, fill(AUDIO)));
    out.add(out(0, 2, audioThenSilence(5)));

    assertThat(MediaMatching.audibleRun(1000 * MS, out)).isEqualTo(165);
    assertThat(MediaMatching.audibleRun(1050 * MS, out)).isEqualTo(-1);
  }

  @Test
  void theSquareWaveNeverHoldsASilentSample() {
    byte[] wave = MediaRun.squareWave(4000);
    for (byte b : wave) {
      assertThat(b & 0xFF).isNotIn(0xFF, 0x7F);
    }
  }

  @Test
  void requestSegmentsAreThoseWithADataOrHeadersFrame() {
    assertThat(new MediaWire.Segment(0, 1, 2, 30, 82, "0").carriesRequest()).isTrue();
    assertThat(new MediaWire.Segment(0, 1, 2, 60, 112, "8,1,0").carriesRequest()).isTrue();
    assertThat(new MediaWire.Segment(0, 1, 2, 17, 69, "6").carriesRequest()).isFalse();
    assertThat(new MediaWire.Segment(0, 1, 2, 13, 65, "8").carriesRequest()).isFalse();
    assertThat(new MediaWire.Segment(0, 1, 2, 0, 52, "").carriesRequest()).isFalse();
  }
}

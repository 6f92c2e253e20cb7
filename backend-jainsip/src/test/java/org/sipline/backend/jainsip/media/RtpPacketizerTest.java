package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RtpPacketizerTest {
  /**
   * Hands out the given ints in order, so SSRC, sequence and timestamp start where a test wants.
   */
  private static RandomGenerator ints(int... values) {
    return new RandomGenerator() {
      private int next;

      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("only nextInt is expected");
      }

      @Override
      public int nextInt() {
        return values[next++];
      }
    };
  }

  private record Header(boolean marker, int pt, int seq, long ts, long ssrc) {}

  private static Header next(RtpPacketizer p, boolean audio) {
    byte[] buf = new byte[12];
    int n = p.nextHeader(buf, audio, 160);
    assertThat(n).isEqualTo(12);
    RtpPacket view = new RtpPacket();
    try {
      view.parse(buf, 0, n);
    } catch (MalformedRtpException e) {
      throw new AssertionError(e);
    }
    return new Header(
        view.marker(), view.payloadType(), view.sequenceNumber(), view.timestamp(), view.ssrc());
  }

  @Test
  void ssrcSequenceAndTimestampStartFromTheInjectedRandom() {
    RtpPacketizer p = new RtpPacketizer(Codec.PCMU, ints(0xCAFE_BABE, 0x0001_2345, 0x7000_0000));

    Header h = next(p, false);

    assertThat(h.ssrc()).isEqualTo(0xCAFE_BABEL);
    assertThat(h.seq()).isEqualTo(0x2345);
    assertThat(h.ts()).isEqualTo(0x7000_0000L);
    assertThat(h.pt()).isEqualTo(0);
  }

  @Test
  void payloadTypeFollowsTheCodec() {
    assertThat(next(new RtpPacketizer(Codec.PCMA, ints(1, 2, 3)), true).pt()).isEqualTo(8);
    assertThat(next(new RtpPacketizer(Codec.PCMU, ints(1, 2, 3)), true).pt()).isEqualTo(0);
  }

  @Test
  void sequenceGrowsByOneAndTimestampBy160AcrossTalkspurtsAndSilence() {
    RtpPacketizer p = new RtpPacketizer(Codec.PCMU, ints(7, 100, 5000));
    boolean[] audio = {false, false, true, true, true, false, true, false, false, true};

    List<Header> headers = new ArrayList<>();
    for (boolean a : audio) {
      headers.add(next(p, a));
    }

    for (int i = 0; i < headers.size(); i++) {
      assertThat(headers.get(i).seq()).as("seq of packet %d", i).isEqualTo(100 + i);
      assertThat(headers.get(i).ts()).as("ts of packet %d", i).isEqualTo(5000 + 160L * i);
      assertThat(headers.get(i).ssrc()).isEqualTo(7);
    }
  }

  @Test
  void markerIsSetExactlyOnTheFirstPacketAndAtEachTalkspurtStart() {
    RtpPacketizer p = new RtpPacketizer(Codec.PCMU, ints(1, 2, 3));
    boolean[] audio = {false, false, true, true, false, true, false, false, true, true};

    List<Boolean> markers = new ArrayList<>();
    for (boolean a : audio) {
      markers.add(next(p, a).marker());
    }

    assertThat(markers)
        .containsExactly(true, false, true, false, false, true, false, false, true, false);
  }

  @Test
  void streamStartingWithAudioIsMarkedOnce() {
    RtpPacketizer p = new RtpPacketizer(Codec.PCMU, ints(1, 2, 3));
    assertThat(next(p, true).marker()).isTrue();
    assertThat(next(p, true).marker()).isFalse();
  }

  @Test
  void sequenceAndTimestampWrapAround() {
    RtpPacketizer p = new RtpPacketizer(Codec.PCMU, ints(1, 0xFFFF, 0xFFFF_FFF0));

    Header a = next(p, true);
    Header b = next(p, true);

    assertThat(a.seq()).isEqualTo(0xFFFF);
    assertThat(b.seq()).isEqualTo(0);
    assertThat(a.ts()).isEqualTo(0xFFFF_FFF0L);
    assertThat(b.ts()).isEqualTo((0xFFFF_FFF0L + 160) & 0xFFFF_FFFFL);
  }

  @Test
  void skippedFramesAdvanceTheTimestampButNotTheSequenceAndMarkTheNextPacket() {
    RtpPacketizer p = new RtpPacketizer(Codec.PCMU, ints(1, 10, 1000));
    next(p, true);
    next(p, true);

    p.skip(5, 160);
    Header after = next(p, true);

    assertThat(after.seq()).isEqualTo(12);
    assertThat(after.ts()).isEqualTo(1000 + 160L * 7);
    assertThat(after.marker()).isTrue();
    assertThat(next(p, true).marker()).isFalse();
  }
}

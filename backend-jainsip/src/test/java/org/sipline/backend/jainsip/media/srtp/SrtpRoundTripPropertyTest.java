package org.sipline.backend.jainsip.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random RTP and RTCP packets: protected then unprotected they come back byte for byte, across a
 * sequence number wrap (so the rollover counter moves), and any one bit flipped in a protected
 * packet is refused.
 */
class SrtpRoundTripPropertyTest {

  @Property(tries = 300)
  void rtpRoundTripsAcrossTheSequenceWrap(
      @ForAll SrtpSuite suite,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 65535) int firstSequence,
      @ForAll @IntRange(min = 1, max = 40) int packets,
      @ForAll @IntRange(min = 0, max = 15) int csrcs,
      @ForAll @IntRange(min = -1, max = 6) int extensionWords,
      @ForAll boolean marker) {
    Random random = new Random(seed);
    // Start near the wrap half of the time, so the rollover counter is exercised.
    int start = random.nextBoolean() ? 65535 - random.nextInt(packets) : firstSequence;
    SrtpKeys keys = SrtpPackets.keys(suite, seed);
    SrtpProtector sender = new SrtpProtector(keys, SrtpPackets.MAX);
    SrtpUnprotector receiver = new SrtpUnprotector(keys, SrtpPackets.MAX);
    long ssrc = random.nextInt() & 0xFFFF_FFFFL;
    byte[] packet = new byte[SrtpPackets.MAX];
    for (int i = 0; i < packets; i++) {
      int payload = random.nextInt(400);
      int length =
          SrtpPackets.rtp(
              packet, (start + i) & 0xFFFF, ssrc, marker, csrcs, extensionWords, payload, random);
      byte[] plain = Arrays.copyOf(packet, length);

      int protectedLength = sender.protectRtp(packet, length);
      assertThat(protectedLength).isEqualTo(length + suite.rtpTagLength());
      if (payload >= 4) {
        int header = RtpHeaders.rtpHeaderLength(plain, length);
        assertThat(Arrays.copyOfRange(packet, header, length))
            .isNotEqualTo(Arrays.copyOfRange(plain, header, length));
      }

      assertThat(receiver.unprotectRtp(packet, protectedLength)).isEqualTo(length);
      assertThat(Arrays.copyOf(packet, length)).isEqualTo(plain);
    }
    assertThat(receiver.authFailures()).isZero();
  }

  @Property(tries = 300)
  void anyFlippedBitOfAnRtpPacketIsRefused(
      @ForAll SrtpSuite suite,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 65535) int sequence,
      @ForAll @IntRange(min = 0, max = 15) int csrcs,
      @ForAll @IntRange(min = -1, max = 3) int extensionWords,
      @ForAll @IntRange(min = 0, max = 200) int payload,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int bitChoice) {
    Random random = new Random(seed);
    SrtpKeys keys = SrtpPackets.keys(suite, seed);
    byte[] packet = new byte[SrtpPackets.MAX];
    int length =
        SrtpPackets.rtp(
            packet, sequence, 0x1234_5678L, false, csrcs, extensionWords, payload, random);
    int protectedLength = new SrtpProtector(keys, SrtpPackets.MAX).protectRtp(packet, length);
    int bit = bitChoice % (protectedLength * 8);
    packet[bit / 8] ^= (byte) (1 << (bit % 8));

    SrtpUnprotector receiver = new SrtpUnprotector(keys, SrtpPackets.MAX);
    int result = receiver.unprotectRtp(packet, protectedLength);

    if (RtpHeaders.rtpHeaderLength(packet, length) < 0) {
      // The flip broke the header itself (version, CSRC count, extension length).
      assertThat(result).isEqualTo(SrtpUnprotector.MALFORMED);
    } else {
      assertThat(result).isEqualTo(SrtpUnprotector.AUTH_FAILED);
      assertThat(receiver.authFailures()).isEqualTo(1);
    }
  }

  @Property(tries = 200)
  void rtcpRoundTripsAndAnyFlippedBitIsRefused(
      @ForAll SrtpSuite suite,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 20) int reports,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int bitChoice) {
    Random random = new Random(seed);
    SrtpKeys keys = SrtpPackets.keys(suite, seed);
    SrtpProtector sender = new SrtpProtector(keys, SrtpPackets.MAX);
    SrtpUnprotector receiver = new SrtpUnprotector(keys, SrtpPackets.MAX);
    byte[] packet = new byte[SrtpPackets.MAX];
    long ssrc = random.nextInt() & 0xFFFF_FFFFL;
    for (int i = 0; i < reports; i++) {
      int length = SrtpPackets.rtcp(packet, ssrc, random);
      byte[] plain = Arrays.copyOf(packet, length);
      int protectedLength = sender.protectRtcp(packet, length);
      assertThat(protectedLength).isEqualTo(length + SrtpSuite.RTCP_OVERHEAD);
      // E flag set, index counting from 0.
      assertThat(RtpHeaders.word(packet, length)).isEqualTo(0x8000_0000L | i);
      assertThat(Arrays.copyOfRange(packet, 8, length))
          .isNotEqualTo(Arrays.copyOfRange(plain, 8, length));
      if (i == reports - 1) {
        byte[] flipped = Arrays.copyOf(packet, protectedLength);
        int bit = bitChoice % (protectedLength * 8);
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        int result = receiver.unprotectRtcp(flipped, protectedLength);
        if (bit / 8 == 0 && (bit % 8) >= 6) {
          assertThat(result).isEqualTo(SrtpUnprotector.MALFORMED); // the version bits
        } else if (bit / 8 >= length && bit / 8 < length + 4) {
          // The SRTCP index: an earlier one is refused by the window before the tag is checked.
          assertThat(result).isNegative();
        } else {
          assertThat(result).isEqualTo(SrtpUnprotector.AUTH_FAILED);
        }
      }
      assertThat(receiver.unprotectRtcp(packet, protectedLength)).isEqualTo(length);
      assertThat(Arrays.copyOf(packet, length)).isEqualTo(plain);
    }
  }
}

package org.sipline.backend.jainsip.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** §3.3.2's replay protection, §3.3.1's rollover estimate, and the counters that report them. */
class SrtpReplayTest {
  private static final long SSRC = 0xCAFE_F00DL;
  private final SrtpKeys keys = SrtpPackets.freshKeys(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
  private final SrtpProtector sender = new SrtpProtector(keys, SrtpPackets.MAX);
  private final SrtpUnprotector receiver = new SrtpUnprotector(keys, SrtpPackets.MAX);
  private final Random random = new Random(7);

  /** Protected packets of consecutive sequence numbers from {@code first}. */
  private byte[][] protectedRun(int first, int count) {
    byte[][] out = new byte[count][];
    byte[] buf = new byte[SrtpPackets.MAX];
    for (int i = 0; i < count; i++) {
      int length = SrtpPackets.rtp(buf, (first + i) & 0xFFFF, SSRC, false, 0, -1, 160, random);
      out[i] = Arrays.copyOf(buf, sender.protectRtp(buf, length));
    }
    return out;
  }

  private int unprotect(byte[] packet) {
    byte[] copy = Arrays.copyOf(packet, SrtpPackets.MAX);
    return receiver.unprotectRtp(copy, packet.length);
  }

  @Test
  void aPacketTakenTwiceIsRefusedAsAReplayAndCounted() {
    byte[][] run = protectedRun(100, 3);
    assertThat(unprotect(run[0])).isPositive();
    assertThat(unprotect(run[1])).isPositive();

    assertThat(unprotect(run[1])).isEqualTo(SrtpUnprotector.REPLAYED);
    assertThat(unprotect(run[0])).isEqualTo(SrtpUnprotector.REPLAYED);
    assertThat(unprotect(run[2])).isPositive();
    assertThat(receiver.replays()).isEqualTo(2);
    assertThat(receiver.authFailures()).isZero();
    assertThat(receiver.outOfWindow()).isZero();
  }

  @Test
  void aLatePacketInsideTheWindowIsTakenOnceAndOneBehindItIsOutOfTheWindow() {
    byte[][] run = protectedRun(1000, 70);
    assertThat(unprotect(run[69])).isPositive(); // highest index 1069
    // 1006 is 63 behind: inside the 64-packet window, never seen.
    assertThat(unprotect(run[6])).isPositive();
    assertThat(unprotect(run[6])).isEqualTo(SrtpUnprotector.REPLAYED);
    // 1005 is 64 behind: outside; whether it is a replay cannot be told, so it is refused.
    assertThat(unprotect(run[5])).isEqualTo(SrtpUnprotector.OUT_OF_WINDOW);
    assertThat(receiver.outOfWindow()).isEqualTo(1);
    assertThat(receiver.replays()).isEqualTo(1);
  }

  @Test
  void theRolloverCounterFollowsAWrapEvenWithAPacketFromBeforeItArrivingLate() {
    byte[][] run = protectedRun(65533, 6); // 65533 65534 65535 | 0 1 2
    assertThat(unprotect(run[0])).isPositive();
    assertThat(unprotect(run[2])).isPositive();
    assertThat(unprotect(run[3])).isPositive(); // ROC 1 now
    assertThat(unprotect(run[1])).isPositive(); // 65534 of ROC 0, late
    assertThat(unprotect(run[5])).isPositive();
    assertThat(unprotect(run[4])).isPositive();
    assertThat(receiver.authFailures()).isZero();
  }

  @Test
  void aForgedPacketLeavesTheWindowAsItWas() {
    byte[][] run = protectedRun(500, 2);
    byte[] forged = run[1].clone();
    forged[20] ^= 1;
    assertThat(unprotect(forged)).isEqualTo(SrtpUnprotector.AUTH_FAILED);
    // Had the forgery moved the window, the genuine packet would now be a "replay".
    assertThat(unprotect(run[1])).isPositive();
    assertThat(unprotect(run[0])).isPositive();
    assertThat(receiver.authFailures()).isEqualTo(1);
  }

  @Test
  void anotherKeyFailsAuthentication() {
    SrtpUnprotector stranger =
        new SrtpUnprotector(
            SrtpPackets.freshKeys(SrtpSuite.AES_CM_128_HMAC_SHA1_80), SrtpPackets.MAX);
    byte[] packet = Arrays.copyOf(protectedRun(1, 1)[0], SrtpPackets.MAX);
    assertThat(stranger.unprotectRtp(packet, 12 + 160 + 10)).isEqualTo(SrtpUnprotector.AUTH_FAILED);
    assertThat(stranger.authFailures()).isEqualTo(1);
  }

  @Test
  void tooShortForAHeaderAndATagIsMalformed() {
    assertThat(receiver.unprotectRtp(new byte[SrtpPackets.MAX], 21))
        .isEqualTo(SrtpUnprotector.MALFORMED);
    assertThat(receiver.unprotectRtcp(new byte[SrtpPackets.MAX], 21))
        .isEqualTo(SrtpUnprotector.MALFORMED);
  }

  @Test
  void anRtcpReplayIsRefusedAndCounted() {
    byte[] buf = new byte[SrtpPackets.MAX];
    int length = sender.protectRtcp(buf, SrtpPackets.rtcp(buf, SSRC, random));
    byte[] copy = Arrays.copyOf(buf, length);
    assertThat(receiver.unprotectRtcp(buf, length)).isEqualTo(32);
    assertThat(receiver.unprotectRtcp(copy, length)).isEqualTo(SrtpUnprotector.REPLAYED);
    assertThat(receiver.replays()).isEqualTo(1);
  }

  @Test
  void keysNeverShowInToString() {
    assertThat(keys.toString()).doesNotContain(keys.inline()).contains("hidden");
  }
}

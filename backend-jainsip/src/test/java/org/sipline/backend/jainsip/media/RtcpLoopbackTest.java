package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.testing.CollectingSink;

/**
 * Two sessions of one engine in a call over loopback: each reports on the other's stream by RTCP,
 * so each learns how its own stream arrived and the round-trip time; RTCP from a stranger or
 * malformed is counted and dropped while the call's audio goes on.
 */
class RtcpLoopbackTest {
  /** Two reports each way at the RFC's intervals (first ≤ 3.1 s, then ≤ 6.2 s), with margin. */
  private static final long REPORTS_NANOS = TimeUnit.SECONDS.toNanos(25);

  private MediaEngine engine;

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  private static InetSocketAddress local(MediaSession s) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.localPort());
  }

  @Test
  void eachSideLearnsHowItsStreamArrivedAndTheRoundTrip() throws Exception {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(11)));
    MediaSession a = engine.allocate();
    MediaSession b = engine.allocate();
    CollectingSink toA = new CollectingSink();
    CollectingSink toB = new CollectingSink();
    b.start(local(a), Codec.PCMA, new CallMedia(AudioSource.SILENCE, toB), "b@rtcp");
    a.start(local(b), Codec.PCMA, new CallMedia(AudioSource.SILENCE, toA), "a@rtcp");

    Await.until(
        () -> {
          RtpStatistics sa = a.rtpStatistics();
          RtpStatistics sb = b.rtpStatistics();
          return sa.outbound().reported()
              && sb.outbound().reported()
              && sa.hasRoundTrip()
              && sb.hasRoundTrip()
              && sa.rtcpReceived() >= 2
              && sb.rtcpReceived() >= 2;
        },
        REPORTS_NANOS,
        () -> "RTCP both ways: a " + a.rtpStatistics() + ", b " + b.rtpStatistics());

    RtpStatistics sa = a.rtpStatistics();
    RtpStatistics sb = b.rtpStatistics();
    for (RtpStatistics s : new RtpStatistics[] {sa, sb}) {
      assertThat(s.roundTripMillis()).as("loopback RTT").isBetween(0.0, 100.0);
      assertThat(s.outbound().cumulativeLost()).as("loopback loses nothing").isZero();
      assertThat(s.inbound().cumulativeLost()).isZero();
      assertThat(s.outbound().jitterMillis()).isLessThan(20.0);
      assertThat(s.rtcpDropped()).isZero();
      assertThat(s.octetsSent()).isEqualTo(160 * s.packetsSent());
      assertThat(s.farEndPacketsSent()).isPositive();
      assertThat(s.farEndOctetsSent()).isEqualTo(160 * s.farEndPacketsSent());
    }
    // A report is a snapshot: the far end had received at most what we have sent since.
    assertThat(sa.outbound().expected()).isBetween(1L, sa.packetsSent());
    assertThat(sb.outbound().expected()).isBetween(1L, sb.packetsSent());
    assertThat(sa.farEndPacketsSent()).isLessThanOrEqualTo(sb.packetsSent());

    long bReceived = b.rtpStatistics().rtcpReceived();
    a.close();
    Await.until(
        () -> b.rtpStatistics().rtcpReceived() > bReceived,
        () -> "A's closing report with BYE at B");
    RtpStatistics last = a.rtpStatistics();
    assertThat(last.rtcpSent()).isGreaterThanOrEqualTo(3);
    assertThat(a.rtpStatistics()).as("final after close").isEqualTo(last);
    b.close();
  }

  @Test
  void strangersAndMalformedRtcpAreDroppedAndTheAudioGoesOn() throws Exception {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(12)));
    try (TestPeer rtp = new TestPeer("127.0.0.1");
        TestPeer rtcp = new TestPeer("127.0.0.1");
        TestPeer stranger = new TestPeer("127.0.0.2")) {
      CollectingSink sink = new CollectingSink();
      MediaSession s = engine.allocate();
      // Latching: RTP from the test's peer is taken, then RTCP from its address.
      s.start(null, Codec.PCMU, new CallMedia(AudioSource.SILENCE, sink), "fuzz@rtcp");
      int rtcpPort = s.localPort() + 1;
      byte[] payload = new byte[160];
      rtp.send(RtpPackets.packet().sequence(1).payload(payload).build(), s.localPort());
      sink.awaitSamples(160, 5, TimeUnit.SECONDS);

      byte[] good = RtcpParserTest.compound(true, false, "peer", false);
      stranger.send(good, rtcpPort);
      rtcp.send(new byte[] {1, 2, 3}, rtcpPort);
      byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
      rtcp.send(truncated, rtcpPort);
      byte[] wrongVersion = good.clone();
      wrongVersion[0] = 0x40;
      rtcp.send(wrongVersion, rtcpPort);
      rtcp.send(good, rtcpPort);
      Await.until(
          () -> s.rtpStatistics().rtcpReceived() == 1 && s.rtpStatistics().rtcpDropped() == 4,
          () -> "1 taken, 4 dropped: " + s.rtpStatistics());
      assertThat(s.rtpStatistics().farEndPacketsSent()).isEqualTo(500);

      rtp.send(
          RtpPackets.packet().sequence(2).timestamp(160).payload(payload).build(), s.localPort());
      sink.awaitSamples(320, 5, TimeUnit.SECONDS);
      assertThat(s.rtpStatistics().packetsReceived()).isEqualTo(2);
      assertThat(s.rtpStatistics().inbound().cumulativeLost()).isZero();
      s.close();
    }
  }

  /**
   * 10,000 fuzzed RTCP datagrams (truncated, wrong version, lengths that do not add up, random
   * bytes, bit flips of a good compound packet) into a live session's RTCP port: the audio keeps
   * flowing (an RTP packet after every 100 of them is heard, none lost), none is taken for more
   * than it is, and the malformed ones are counted as dropped.
   */
  @Test
  void tenThousandFuzzedRtcpDatagramsNeverDisturbALiveCall() throws Exception {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(13)));
    try (TestPeer rtp = new TestPeer("127.0.0.1");
        TestPeer rtcp = new TestPeer("127.0.0.1")) {
      CollectingSink sink = new CollectingSink();
      MediaSession s = engine.allocate();
      s.start(null, Codec.PCMU, new CallMedia(AudioSource.SILENCE, sink), "fuzz@live");
      int rtcpPort = s.localPort() + 1;
      byte[] payload = new byte[160];
      byte[] good = RtcpParserTest.compound(true, true, "peer", false);
      Random random = new Random(14);
      int sent = 0;
      int audio = 0;
      for (int batch = 0; batch < 100; batch++) {
        for (int i = 0; i < 100; i++) {
          rtcp.send(fuzzed(good, random), rtcpPort);
          sent++;
        }
        audio++;
        rtp.send(
            RtpPackets.packet()
                .sequence(audio)
                .timestamp(160L * (audio - 1))
                .payload(payload)
                .build(),
            s.localPort());
        sink.awaitSamples(160 * audio, 5, TimeUnit.SECONDS);
      }
      int total = sent;
      Await.until(
          () -> {
            RtpStatistics now = s.rtpStatistics();
            // Every datagram that reached the socket was taken or dropped; loopback may lose some
            // of a burst in the socket buffer, never invent one.
            return now.rtcpReceived() + now.rtcpDropped() > total / 2;
          },
          () -> "fuzzed RTCP handled: " + s.rtpStatistics());
      RtpStatistics last = s.rtpStatistics();
      assertThat(last.rtcpReceived() + last.rtcpDropped()).isLessThanOrEqualTo(total);
      assertThat(last.rtcpDropped()).as("malformed ones counted: %s", last).isPositive();
      assertThat(last.packetsReceived()).as("every RTP packet heard").isEqualTo(audio);
      assertThat(last.inbound().cumulativeLost()).isZero();
      s.close();
    }
  }

  /** One of the kinds of broken RTCP, chosen at random, derived from {@code good}. */
  private static byte[] fuzzed(byte[] good, Random random) {
    byte[] b;
    switch (random.nextInt(6)) {
      case 0 -> b = java.util.Arrays.copyOf(good, random.nextInt(good.length)); // truncated
      case 1 -> {
        b = good.clone();
        int[] notTwo = {0, 1, 3};
        b[0] = (byte) ((b[0] & 0x3f) | (notTwo[random.nextInt(3)] << 6)); // wrong version
      }
      case 2 -> {
        b = good.clone();
        b[2] = (byte) random.nextInt(256); // a length that does not add up
        b[3] = (byte) random.nextInt(256);
      }
      case 3 -> {
        b = new byte[random.nextInt(1500)];
        random.nextBytes(b);
      }
      case 4 -> {
        b = java.util.Arrays.copyOf(good, good.length + 1 + random.nextInt(64)); // trailing junk
        for (int i = good.length; i < b.length; i++) {
          b[i] = (byte) random.nextInt(256);
        }
      }
      default -> {
        b = good.clone();
        for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
          int bit = random.nextInt(b.length * 8);
          b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
      }
    }
    return b;
  }
}

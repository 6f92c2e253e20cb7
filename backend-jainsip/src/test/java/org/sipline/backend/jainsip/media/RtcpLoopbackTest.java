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
}

package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.testing.ScriptedSource;

/**
 * The engine's pacer on the real clock, sending to a plain UDP socket. It checks what arrives, not
 * when: timing precision is measured by the benchmarks, not asserted on a shared machine.
 */
class RealTimePacingTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  private MediaEngine engine;

  @BeforeEach
  void startEngine() throws Exception {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(3)));
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  /**
   * Follows one received stream: the sequence number grows by one per packet; the timestamp by 160
   * per frame, so by more only across frames the pacer skipped (a stalled machine — it happens on a
   * loaded 2-core host), and then the packet is marked.
   */
  private static final class StreamCheck {
    private final RtpPacket p = new RtpPacket();
    private int packets;
    private int lastSeq;
    private long lastTs;
    private long ssrc;
    long framesSkipped;

    /** Checks the next datagram and returns its payload. */
    byte[] next(byte[] d, int payloadType) throws MalformedRtpException {
      p.parse(d, 0, d.length);
      assertThat(p.payloadType()).isEqualTo(payloadType);
      assertThat(p.payloadLength()).isEqualTo(FRAME);
      if (packets == 0) {
        ssrc = p.ssrc();
        assertThat(p.marker()).as("marker of the first packet").isTrue();
      } else {
        assertThat(p.ssrc()).isEqualTo(ssrc);
        assertThat(p.sequenceNumber())
            .as("seq of packet %d", packets)
            .isEqualTo((lastSeq + 1) & 0xFFFF);
        long step = (p.timestamp() - lastTs) & 0xFFFF_FFFFL;
        assertThat(step % 160).as("ts step %d of packet %d", step, packets).isZero();
        assertThat(step).as("ts step of packet %d", packets).isPositive();
        framesSkipped += step / 160 - 1;
        assertThat(p.marker())
            .as("marker of packet %d after a ts step of %d", packets, step)
            .isEqualTo(step > 160);
      }
      packets++;
      lastSeq = p.sequenceNumber();
      lastTs = p.timestamp();
      return Arrays.copyOfRange(d, p.payloadOffset(), p.payloadOffset() + FRAME);
    }
  }

  @Test
  void twoHundredFiftyFramesArriveAsConsecutivePacketsCarryingTheSourceAudio() throws Exception {
    short[] audio = ScriptedSource.sweep(250);
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(
          peer.address(),
          Codec.PCMU,
          new CallMedia(new ScriptedSource(audio), AudioSink.DISCARD),
          "pacing@test");

      StreamCheck check = new StreamCheck();
      for (int n = 0; n < 250; n++) {
        byte[] payload = check.next(peer.receive(), 0);
        // Skipped frames are not read from the source: every packet carries the next frame.
        byte[] expected = new byte[FRAME];
        Codec.PCMU.encode(audio, n * FRAME, expected, 0, FRAME);
        assertThat(payload).as("payload of packet %d", n).isEqualTo(expected);
      }

      // The counter follows the send call, which the peer may see return later than the packet.
      Await.until(() -> s.stats().sent() >= 250, () -> s.stats().toString());
      assertThat(check.framesSkipped).isLessThanOrEqualTo(s.stats().skipped());
    }
  }

  @Test
  void aSessionWithNothingToPlayKeepsSendingSilenceEveryFrame() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(
          peer.address(),
          Codec.PCMA,
          new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD),
          "idle@test");
      byte[] silence = new byte[FRAME];
      Codec.PCMA.encode(new short[FRAME], 0, silence, 0, FRAME);

      StreamCheck check = new StreamCheck();
      for (int n = 0; n < 50; n++) {
        assertThat(check.next(peer.receive(), 8)).as("payload of packet %d", n).isEqualTo(silence);
      }

      assertThat(check.framesSkipped).isLessThanOrEqualTo(s.stats().skipped());
    }
  }
}

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

/**
 * The engine's pacer on the real clock, sending to a plain UDP socket. It checks what arrives,
 * not when: timing precision is measured by the benchmarks, not asserted on a shared machine.
 */
class RealTimePacingTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  private MediaEngine engine;

  @BeforeEach
  void startEngine() throws Exception {
    engine = MediaEngine.start(InetAddress.getLoopbackAddress(), 0, 0, null,
        MediaClock.system(), new Random(3));
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  @Test
  void twoHundredFiftyFramesArriveAsConsecutivePacketsCarryingTheSourceAudio() throws Exception {
    short[] audio = ScriptedSource.sweep(250);
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(peer.address(), Codec.PCMU,
          new CallMedia(new ScriptedSource(audio), AudioSink.DISCARD), "pacing@test");

      RtpPacket p = new RtpPacket();
      Integer firstSeq = null;
      long firstTs = 0;
      long ssrc = 0;
      for (int n = 0; n < 250; n++) {
        byte[] d = peer.receive();
        p.parse(d, 0, d.length);
        if (firstSeq == null) {
          firstSeq = p.sequenceNumber();
          firstTs = p.timestamp();
          ssrc = p.ssrc();
          assertThat(p.marker()).isTrue();
        } else {
          assertThat(p.marker()).as("marker of packet %d", n).isFalse();
        }
        assertThat(p.sequenceNumber()).as("seq of packet %d", n)
            .isEqualTo((firstSeq + n) & 0xFFFF);
        assertThat(p.timestamp()).as("ts of packet %d", n)
            .isEqualTo((firstTs + 160L * n) & 0xFFFF_FFFFL);
        assertThat(p.ssrc()).isEqualTo(ssrc);
        byte[] expected = new byte[FRAME];
        Codec.PCMU.encode(audio, n * FRAME, expected, 0, FRAME);
        assertThat(Arrays.copyOfRange(d, p.payloadOffset(), p.payloadOffset() + FRAME))
            .as("payload of packet %d", n).isEqualTo(expected);
      }

      assertThat(s.stats().sent()).isGreaterThanOrEqualTo(250);
    }
  }

  @Test
  void aSessionWithNothingToPlayKeepsSendingSilenceEveryFrame() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(peer.address(), Codec.PCMA, new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD),
          "idle@test");
      byte[] silence = new byte[FRAME];
      Codec.PCMA.encode(new short[FRAME], 0, silence, 0, FRAME);

      RtpPacket p = new RtpPacket();
      byte[] first = peer.receive();
      p.parse(first, 0, first.length);
      int seq0 = p.sequenceNumber();
      long ts0 = p.timestamp();
      assertThat(p.marker()).isTrue();
      for (int n = 1; n < 50; n++) {
        byte[] d = peer.receive();
        p.parse(d, 0, d.length);
        assertThat(p.payloadType()).isEqualTo(8);
        assertThat(p.marker()).isFalse();
        assertThat(p.sequenceNumber()).isEqualTo((seq0 + n) & 0xFFFF);
        // 160 samples of RTP time per packet: one packet per 20 ms of the stream's clock.
        assertThat(p.timestamp()).isEqualTo((ts0 + 160L * n) & 0xFFFF_FFFFL);
        assertThat(Arrays.copyOfRange(d, p.payloadOffset(), p.payloadOffset() + FRAME))
            .isEqualTo(silence);
      }
      assertThat(s.stats().late() + s.stats().skipped()).isLessThanOrEqualTo(s.stats().sent());
    }
  }
}

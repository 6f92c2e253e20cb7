package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.MediaEngine;
import org.sipline.backend.jainsip.media.MediaEngineOptions;
import org.sipline.backend.jainsip.media.MediaSession;
import org.sipline.backend.jainsip.media.MediaStats;
import org.sipline.core.audio.G711;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.testing.CollectingSink;
import org.sipline.testing.ScriptedSource;

/**
 * A call's RTP port under a spray of 1,000 packets/s from strangers (another host, 127.0.0.2, and
 * another port of the peer's own host) while the real far end plays a known signal: no stranger's
 * packet is accepted, each is counted and the drop is logged, and the call hears the far end's
 * audio sample for sample.
 */
class WrongSourceRtpTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;
  private static final int SPRAY_RATE = 1000;

  private MediaEngine engine;

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void sprayFromStrangersIsDroppedCountedAndLoggedWhileTheCallHearsItsPeerExactly()
      throws Exception {
    Duration spray = HardeningRun.duration(Duration.ofSeconds(3), Duration.ofSeconds(30));
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    engine = MediaEngine.start(MediaEngineOptions.on(loopback));
    MediaSession call = engine.allocate();
    MediaSession far = engine.allocate();
    // The far end plays for the whole spray and a bit more, so every stranger packet lands
    // while real audio flows.
    int frames = (int) (spray.toMillis() / AudioFrames.FRAME_MILLIS) + 50;
    short[] signal = ScriptedSource.sweep(frames);
    ScriptedSource farSource = new ScriptedSource(signal);
    CollectingSink heard = new CollectingSink();

    try (LogCapture log = LogCapture.start();
        RtpSprayer sprayer =
            new RtpSprayer(
                List.of("127.0.0.2", "127.0.0.1"),
                new InetSocketAddress(loopback, call.localPort()),
                SPRAY_RATE)) {
      // The call first, so that it hears the far end's first packet.
      call.start(
          new InetSocketAddress(loopback, far.localPort()),
          Codec.PCMU,
          new CallMedia(AudioSource.SILENCE, heard),
          "spray-call@hardening");
      far.start(
          new InetSocketAddress(loopback, call.localPort()),
          Codec.PCMU,
          new CallMedia(farSource, (pcm, off, len) -> {}),
          "spray-far@hardening");
      List<InetSocketAddress> strangers = sprayer.sources();
      sprayer.start();
      await()
          .atMost(spray.plusSeconds(5))
          .until(() -> sprayer.sent() >= spray.toSeconds() * SPRAY_RATE);
      sprayer.close();
      await().atMost(Duration.ofSeconds(10)).until(farSource::finished);
      far.close();
      MediaStats farStats = far.stats();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  call.stats().received() + UdpSocketStats.kernelDrops(call.localPort())
                      >= farStats.sent());
      long kernelDrops = UdpSocketStats.kernelDrops(call.localPort());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> call.stats().droppedWrongSource() + kernelDrops >= sprayer.sent());
      MediaStats stats = call.stats();
      call.close();

      assertThat(kernelDrops).as("datagrams the kernel dropped at the call's socket").isZero();
      assertThat(stats.droppedWrongSource())
          .as("stranger packets dropped")
          .isEqualTo(sprayer.sent());
      assertThat(stats.received())
          .as("packets accepted = packets the far end sent")
          .isEqualTo(farStats.sent());
      assertThat(stats.lost()).isZero();
      assertThat(stats.duplicates()).isZero();
      assertThat(stats.droppedLate()).isZero();
      assertThat(stats.droppedMalformed()).isZero();
      short[] expected = roundTripUlaw(signal);
      short[] got = heard.samples();
      assertThat(got.length).as("samples heard").isGreaterThanOrEqualTo(expected.length);
      assertThat(Arrays.copyOf(got, expected.length))
          .as("the far end's signal, sample-exact")
          .isEqualTo(expected);
      short silence = roundTripUlaw(new short[FRAME])[0];
      for (int i = expected.length; i < got.length; i++) {
        assertThat(got[i])
            .as("sample %d, after the signal: the far end's silence", i)
            .isEqualTo(silence);
      }
      assertThat(log.text())
          .contains("RTP from " + strangers.get(0) + " dropped: Call-ID " + "spray-call@hardening");

      HardeningRun.figure("WrongSourceRtpTest", "spray.seconds", spray.toSeconds());
      HardeningRun.figure("WrongSourceRtpTest", "spray.packets", sprayer.sent());
      HardeningRun.figure("WrongSourceRtpTest", "spray.accepted", 0);
      HardeningRun.figure("WrongSourceRtpTest", "droppedWrongSource", stats.droppedWrongSource());
      HardeningRun.figure("WrongSourceRtpTest", "peer.packets", stats.received());
    }
  }

  private static short[] roundTripUlaw(short[] pcm) {
    byte[] coded = new byte[pcm.length];
    G711.encodeUlaw(pcm, 0, coded, 0, pcm.length);
    short[] back = new short[pcm.length];
    G711.decodeUlaw(coded, 0, back, 0, pcm.length);
    return back;
  }
}

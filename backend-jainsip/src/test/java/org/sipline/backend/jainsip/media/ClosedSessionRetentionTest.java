package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G711;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.testing.CollectingSink;
import org.sipline.testing.ScriptedSource;

/**
 * A closed session lets go of its media graph — the call's source and sink, and with them the
 * sender, receiver, jitter buffer and codec state — while whoever holds the session (an ended call,
 * kept a while for late messages of its dialog) still reads its final figures. Were the graph kept,
 * the live heap would grow with the call rate (issue 16: ~40 MB at 770 ended calls).
 */
class ClosedSessionRetentionTest {
  private static final long GC_BOUND_NANOS = TimeUnit.SECONDS.toNanos(20);

  private MediaEngine engine;

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aClosedSessionKeepsItsFiguresButNotTheCallsMedia() throws Exception {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(7)));
    MediaSession session = engine.allocate();
    WeakReference<AudioSink> media;
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      media = runAndClose(session, peer);
    }
    MediaStats atClose = session.stats();
    RtpStatistics statisticsAtClose = session.rtpStatistics();

    Await.until(
        () -> {
          System.gc();
          return media.get() == null;
        },
        GC_BOUND_NANOS,
        () -> "the closed session's sink is still reachable after GC");

    assertThat(atClose.received()).isEqualTo(1);
    assertThat(atClose.sent()).isPositive();
    assertThat(session.stats()).isEqualTo(atClose);
    assertThat(session.rtpStatistics()).isEqualTo(statisticsAtClose);
    assertThat(statisticsAtClose.packetsReceived()).isEqualTo(1);
    assertThat(statisticsAtClose.packetsSent()).isEqualTo(atClose.sent());
  }

  /**
   * Starts {@code session} towards {@code peer} with media only the session references, exchanges a
   * packet each way, closes it; returns a weak reference to the media's sink.
   */
  private static WeakReference<AudioSink> runAndClose(MediaSession session, TestPeer peer)
      throws IOException, InterruptedException {
    CollectingSink sink = new CollectingSink();
    CallMedia media = new CallMedia(AudioSource.SILENCE, sink);
    session.start(peer.address(), Codec.PCMU, media, "retention@test");
    peer.receive();
    byte[] payload = new byte[160];
    G711.encodeUlaw(ScriptedSource.sweep(1), 0, payload, 0, 160);
    peer.send(RtpPackets.packet().sequence(1).payload(payload).build(), session.localPort());
    sink.awaitSamples(160, 5, TimeUnit.SECONDS);
    session.close();
    return new WeakReference<>(sink);
  }
}

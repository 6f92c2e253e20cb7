package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G711;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.testing.CollectingSink;
import org.sipline.testing.ScriptedSource;

/** A session's life, its ports and its remote, on a real engine. */
class MediaSessionTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final CallMedia QUIET = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  private MediaEngine engine;

  private MediaEngine engine(int min, int max) throws IOException {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(LOOPBACK)
                .withRtpPorts(min, max)
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(5)));
    return engine;
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  private static boolean bindable(int port) {
    try (DatagramChannel c = DatagramChannel.open()) {
      c.bind(new InetSocketAddress(LOOPBACK, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An even port whose next few even ports are free right now (other programs share lo). */
  private static int freeEvenRangeStart(int evenPorts) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (DatagramChannel c = DatagramChannel.open()) {
        c.bind(new InetSocketAddress(LOOPBACK, 0));
        base = ((InetSocketAddress) c.getLocalAddress()).getPort() & ~1;
      }
      boolean free = base + 2 * evenPorts < 65536;
      // Each RTP port's RTCP port above it must be free too.
      for (int i = 0; free && i < 2 * evenPorts; i++) {
        free = bindable(base + i);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free range of " + evenPorts + " even ports found");
  }

  @Test
  void anyPortEngineHandsOutDistinctEvenPorts() throws Exception {
    engine(0, 0);
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      int port = engine.allocate().localPort();
      assertThat(port % 2).as("port %d", port).isZero();
      ports.add(port);
    }
    assertThat(ports).hasSize(10);
  }

  @Test
  void portsComeFromTheRangeAndItsExhaustionIsNamed() throws Exception {
    int base = freeEvenRangeStart(3);
    engine(base - 1, base + 5); // odd ends: only base, base+2, base+4 are RTP ports

    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      ports.add(engine.allocate().localPort());
    }

    assertThat(ports).containsExactlyInAnyOrder(base, base + 2, base + 4);
    assertThatThrownBy(() -> engine.allocate())
        .isInstanceOf(IOException.class)
        .hasMessage(
            "no free even RTP port (with its RTCP port above) in "
                + (base - 1)
                + "-"
                + (base + 5)
                + " on 127.0.0.1");
  }

  @Test
  void aClosedSessionsPortIsReusedByTheRange() throws Exception {
    int base = freeEvenRangeStart(1);
    engine(base, base);
    MediaSession first = engine.allocate();
    first.start(null, Codec.PCMU, QUIET, "reuse@test");

    first.close();

    Await.until(
        () -> {
          try {
            engine.allocate().close();
            return true;
          } catch (IOException e) {
            return false;
          }
        },
        () -> "port " + base + " free again");
  }

  @Test
  void invalidRangesAreRefusedNamingTheRange() {
    assertThatThrownBy(() -> engine(10001, 10001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RTP port range 10001-10001 holds no even port");
    assertThatThrownBy(() -> engine(20000, 10000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("RTP port range invalid: 20000-10000");
    assertThatThrownBy(() -> engine(0, 70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("RTP port range invalid: 0-70000");
  }

  @Test
  void startingTwiceOrAfterCloseFailsNamingTheState() throws Exception {
    engine(0, 0);
    MediaSession s = engine.allocate();
    s.start(null, Codec.PCMU, QUIET, "twice@test");

    assertThatThrownBy(() -> s.start(null, Codec.PCMU, QUIET, "twice@test"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("start in state STARTED");
    s.close();
    assertThatThrownBy(() -> s.start(null, Codec.PCMU, QUIET, "twice@test"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("start in state CLOSED");
    assertThatThrownBy(() -> s.updateRemote(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("updateRemote in state CLOSED");
  }

  @Test
  void updatingTheRemoteBeforeStartFails() throws Exception {
    engine(0, 0);
    MediaSession s = engine.allocate();
    assertThatThrownBy(() -> s.updateRemote(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("updateRemote in state ALLOCATED");
  }

  @Test
  void aTelephoneEventPayloadTypeOutOfRangeIsRefused() throws Exception {
    engine(0, 0);
    MediaSession s = engine.allocate();
    assertThatThrownBy(() -> s.start(null, Codec.PCMU, 128, QUIET, "te@test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("telephone-event payload type out of range 0..127: 128");
  }

  @Test
  void statsBeforeStartAreZeroAndDateFromTheAllocation() throws Exception {
    engine(0, 0);
    long before = System.nanoTime();
    MediaSession s = engine.allocate();
    long after = System.nanoTime();

    MediaStats st = s.stats();
    assertThat(st.lastPacketNanos()).isBetween(before, after);
    assertThat(st)
        .isEqualTo(
            new MediaStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, st.lastPacketNanos()));
  }

  @Test
  void updateRemoteMovesBothTheStreamAndTheAcceptedSource() throws Exception {
    engine(0, 0);
    try (TestPeer first = new TestPeer("127.0.0.1");
        TestPeer second = new TestPeer("127.0.0.2")) {
      CollectingSink sink = new CollectingSink();
      MediaSession s = engine.allocate();
      s.start(first.address(), Codec.PCMU, new CallMedia(AudioSource.SILENCE, sink), "move@test");
      first.receive();

      s.updateRemote(second.address());
      byte[] payload = new byte[160];
      G711.encodeUlaw(ScriptedSource.sweep(1), 0, payload, 0, 160);
      first.send(RtpPackets.packet().sequence(1).payload(payload).build(), s.localPort());
      second.send(RtpPackets.packet().sequence(2).payload(payload).build(), s.localPort());

      assertThat(second.receive()).hasSize(12 + 160);
      sink.awaitSamples(160, 5, TimeUnit.SECONDS);
      Await.until(() -> s.stats().droppedWrongSource() == 1, () -> s.stats().toString());
      assertThat(s.stats().received()).isEqualTo(1);
    }
  }

  @Test
  void closingTheEngineClosesEverySessionAndRefusesNewOnes() throws Exception {
    engine(0, 0);
    List<MediaSession> sessions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sessions.add(engine.allocate());
    }
    sessions.get(0).start(null, Codec.PCMA, QUIET, "engine-close@test");

    engine.close();

    assertThat(sessions).allMatch(MediaSession::isClosed);
    assertThat(engine.openSessions()).isZero();
    assertThatThrownBy(() -> engine.allocate())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("media engine closed");
  }

  @Test
  void closeIsIdempotent() throws Exception {
    engine(0, 0);
    MediaSession s = engine.allocate();
    s.close();
    s.close();
    assertThat(s.isClosed()).isTrue();
    assertThat(engine.openSessions()).isZero();
  }
}

package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.backend.jainsip.media.RtpPackets.packet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G711;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.testing.CollectingSink;
import org.sipline.testing.ScriptedSource;

/** Incoming RTP over real loopback sockets: a session and test peers sending to it. */
class RtpReceiverTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  private MediaEngine engine;
  private final CollectingSink sink = new CollectingSink();
  private final short[] audio = ScriptedSource.sweep(10);

  @BeforeEach
  void startEngine() throws IOException {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(1)));
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  private MediaSession started(InetSocketAddress remote, AudioSink to) throws IOException {
    MediaSession s = engine.allocate();
    s.start(remote, Codec.PCMU, 101, new CallMedia(AudioSource.SILENCE, to), "rx-test@127.0.0.1");
    return s;
  }

  private short[] frame(int n) {
    return Arrays.copyOfRange(audio, n * FRAME, (n + 1) * FRAME);
  }

  private static byte[] pcmu(int seq, short[] pcm) {
    byte[] payload = new byte[pcm.length];
    G711.encodeUlaw(pcm, 0, payload, 0, pcm.length);
    return packet().payloadType(0).sequence(seq).timestamp(seq * 160L).payload(payload).build();
  }

  private static short[] roundTrip(short[] pcm) {
    byte[] coded = new byte[pcm.length];
    G711.encodeUlaw(pcm, 0, coded, 0, pcm.length);
    short[] back = new short[pcm.length];
    G711.decodeUlaw(coded, 0, back, 0, pcm.length);
    return back;
  }

  private static short[] concat(short[]... parts) {
    short[] all = new short[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  @Test
  void datagramsFromAStrangerAreDroppedAndCountedWhileThePeersAudioArrivesIntact()
      throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1");
        TestPeer stranger = new TestPeer("127.0.0.2")) {
      MediaSession s = started(peer.address(), sink);
      short[] noise = new short[FRAME];
      Arrays.fill(noise, (short) 20000);

      for (int i = 0; i < 10; i++) {
        stranger.send(pcmu(100 + i, noise), s.localPort());
        peer.send(pcmu(100 + i, frame(i)), s.localPort());
      }

      Await.until(
          () -> s.stats().droppedWrongSource() == 10 && s.stats().received() == 10,
          () -> "10 dropped and 10 received: " + s.stats());
      assertThat(sink.awaitSamples(10 * FRAME, 5, TimeUnit.SECONDS)).isEqualTo(roundTrip(audio));
    }
  }

  @Test
  void aSourceOnTheSameHostButAnotherPortIsAStrangerToo() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1");
        TestPeer other = new TestPeer("127.0.0.1")) {
      MediaSession s = started(peer.address(), sink);

      other.send(pcmu(1, frame(0)), s.localPort());
      peer.send(pcmu(1, frame(1)), s.localPort());

      Await.until(() -> s.stats().droppedWrongSource() == 1, () -> s.stats().toString());
      assertThat(sink.awaitSamples(FRAME, 5, TimeUnit.SECONDS)).isEqualTo(roundTrip(frame(1)));
    }
  }

  @Test
  void withoutAUsableSdpAddressTheFirstValidSourceIsLatchedAndAnswered() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1");
        TestPeer stranger = new TestPeer("127.0.0.2")) {
      MediaSession s = started(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 4000), sink);
      // Frames are produced on time even though there is nowhere to send them yet.
      Await.until(() -> s.stats().unsent() > 0, () -> s.stats().toString());
      assertThat(s.stats().sent()).isZero();

      stranger.send(new byte[] {1, 2, 3}, s.localPort()); // garbage does not latch
      peer.send(pcmu(7, frame(0)), s.localPort());
      sink.awaitSamples(FRAME, 5, TimeUnit.SECONDS);
      stranger.send(pcmu(8, frame(1)), s.localPort());
      peer.send(pcmu(8, frame(2)), s.localPort());

      assertThat(sink.awaitSamples(2 * FRAME, 5, TimeUnit.SECONDS))
          .isEqualTo(roundTrip(concat(frame(0), frame(2))));
      Await.until(() -> s.stats().droppedWrongSource() == 1, () -> s.stats().toString());
      assertThat(s.stats().droppedMalformed()).isEqualTo(1);
      // The session now sends its RTP back to the latched source.
      RtpPacket back = new RtpPacket();
      byte[] d = peer.receive();
      back.parse(d, 0, d.length);
      assertThat(back.payloadType()).isEqualTo(0);
      assertThat(back.payloadLength()).isEqualTo(FRAME);
    }
  }

  @Test
  void noRemoteAtAllAlsoLatches() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = started(null, sink);

      peer.send(pcmu(1, frame(3)), s.localPort());

      assertThat(sink.awaitSamples(FRAME, 5, TimeUnit.SECONDS)).isEqualTo(roundTrip(frame(3)));
      assertThat(peer.receive()).hasSize(12 + FRAME);
    }
  }

  @Test
  void packetsReorderedWithinTheWindowAreDeliveredInSequenceOrder() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = started(peer.address(), sink);

      int[] order = {0, 2, 1, 3, 5, 4};
      for (int n : order) {
        peer.send(pcmu(60000 + n, frame(n)), s.localPort());
      }

      assertThat(sink.awaitSamples(6 * FRAME, 5, TimeUnit.SECONDS))
          .isEqualTo(roundTrip(Arrays.copyOf(audio, 6 * FRAME)));
      assertThat(s.stats().lost()).isZero();
    }
  }

  @Test
  void duplicatesAndPacketsOlderThanTheLastDeliveredAreDroppedAndCounted() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = started(peer.address(), sink);

      // 2 never comes in time: held 3, 4, 5 give it up when 6 arrives; then 2 is late.
      for (int n : new int[] {0, 1, 1, 3, 4, 5, 6, 2, 7}) {
        peer.send(pcmu(n, frame(n)), s.localPort());
      }

      short[] expected =
          roundTrip(
              concat(
                  Arrays.copyOf(audio, 2 * FRAME),
                  Arrays.copyOfRange(audio, 3 * FRAME, 8 * FRAME)));
      assertThat(sink.awaitSamples(expected.length, 5, TimeUnit.SECONDS)).isEqualTo(expected);
      Await.until(() -> s.stats().droppedLate() == 1, () -> s.stats().toString());
      MediaStats st = s.stats();
      assertThat(st.duplicates()).isEqualTo(1);
      assertThat(st.lost()).isEqualTo(1);
      assertThat(st.received()).isEqualTo(9);
    }
  }

  @Test
  void malformedDatagramsAreDroppedAndCountedAndReceivingGoesOn() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = started(peer.address(), sink);

      peer.send(new byte[10], s.localPort());
      peer.send(packet().version(1).payload(new byte[160]).build(), s.localPort());
      peer.send(packet().claimCsrcCount(3).csrcs(1L).build(), s.localPort());
      peer.send(packet().payload(new byte[4]).claimPadding(99).build(), s.localPort());
      peer.send(new byte[3000], s.localPort());
      peer.send(pcmu(1, frame(0)), s.localPort());

      assertThat(sink.awaitSamples(FRAME, 5, TimeUnit.SECONDS)).isEqualTo(roundTrip(frame(0)));
      assertThat(s.stats().droppedMalformed()).isEqualTo(5);
      assertThat(s.stats().received()).isEqualTo(1);
    }
  }

  @Test
  void otherPayloadTypesAreDroppedAndTelephoneEventsCounted() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = started(peer.address(), sink);
      long before = s.stats().lastPacketNanos();

      peer.send(packet().payloadType(8).sequence(1).payload(new byte[160]).build(), s.localPort());
      peer.send(packet().payloadType(101).sequence(2).payload(new byte[4]).build(), s.localPort());
      peer.send(pcmu(3, frame(0)), s.localPort());

      assertThat(sink.awaitSamples(FRAME, 5, TimeUnit.SECONDS)).hasSize(FRAME);
      MediaStats st = s.stats();
      assertThat(st.droppedPayloadType()).isEqualTo(1);
      assertThat(st.telephoneEvents()).isEqualTo(1);
      assertThat(st.received()).isEqualTo(1);
      assertThat(st.lastPacketNanos()).isGreaterThan(before);
    }
  }

  @Test
  void aFailingSinkDoesNotStopTheReceiveLoop() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      AtomicInteger calls = new AtomicInteger();
      MediaSession failing =
          started(
              peer.address(),
              (pcm, off, len) -> {
                calls.incrementAndGet();
                throw new IllegalStateException("sink broken");
              });
      MediaSession healthy = started(peer.address(), sink);

      peer.send(pcmu(1, frame(0)), failing.localPort());
      peer.send(pcmu(2, frame(1)), failing.localPort());
      peer.send(pcmu(1, frame(2)), healthy.localPort());

      assertThat(sink.awaitSamples(FRAME, 5, TimeUnit.SECONDS)).isEqualTo(roundTrip(frame(2)));
      Await.until(() -> calls.get() == 2, () -> calls + " sink calls");
    }
  }

  @Test
  void afterCloseNothingMoreReachesTheSink() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = started(peer.address(), sink);
      peer.send(pcmu(1, frame(0)), s.localPort());
      sink.awaitSamples(FRAME, 5, TimeUnit.SECONDS);

      s.close();
      peer.send(pcmu(2, frame(1)), s.localPort());
      // Audio reaching another session, sent later, shows the loop ran past the first datagram.
      CollectingSink otherSink = new CollectingSink();
      MediaSession other = started(peer.address(), otherSink);
      peer.send(pcmu(1, frame(2)), other.localPort());
      otherSink.awaitSamples(FRAME, 5, TimeUnit.SECONDS);

      assertThat(sink.samples()).hasSize(FRAME);
    }
  }
}

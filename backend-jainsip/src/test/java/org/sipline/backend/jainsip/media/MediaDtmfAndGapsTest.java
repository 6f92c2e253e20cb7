package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.backend.jainsip.media.RtpPackets.packet;
import static org.sipline.core.spi.DtmfEvent.end;
import static org.sipline.core.spi.DtmfEvent.start;
import static org.sipline.core.spi.DtmfMethod.RFC4733;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.testing.ScriptedSource;

/**
 * DTMF and gaps through real sessions on loopback: what a peer sends (a test socket or a second
 * session) and what the sink and the source are told.
 */
class MediaDtmfAndGapsTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;
  private static final int PT = 101;
  private static final Duration WAIT = Duration.ofSeconds(5);

  private MediaEngine engine;

  @BeforeEach
  void startEngine() throws IOException {
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

  private static InetSocketAddress local(MediaSession s) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.localPort());
  }

  private static byte[] audio(int seq, long ts) {
    return packet().payloadType(0).sequence(seq).timestamp(ts).payload(new byte[FRAME]).build();
  }

  private static byte[] event(int seq, long ts, boolean marker, int code, boolean e, int dur) {
    byte[] p = new byte[4];
    TelephoneEventPayload.write(p, 0, code, e, 10, dur);
    return packet().payloadType(PT).marker(marker).sequence(seq).timestamp(ts).payload(p).build();
  }

  @Test
  void packetsDroppedOnTheWayAreReportedMissingToTheSample() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(peer.address(), Codec.PCMU, PT, new CallMedia(AudioSource.SILENCE, sink), "gap@t");
      int sent = 0;
      for (int i = 0; i < 60; i++) {
        if (i == 10 || (i >= 20 && i <= 22) || i == 30 || i == 41) {
          continue; // dropped on purpose: 6 packets
        }
        peer.send(audio(40_000 + i, 7_000_000L + i * 160L), s.localPort());
        sent++;
      }

      sink.awaitWritten(sent * (long) FRAME, WAIT);
      Await.until(() -> s.stats().lost() == 6, () -> s.stats().toString());

      assertThat(sink.written()).isEqualTo(54L * FRAME);
      assertThat(sink.missing()).isEqualTo(6L * FRAME);
      assertThat(sink.missingCalls()).isEqualTo(4);
      assertThat(s.stats().missingSamples()).isEqualTo(6L * FRAME);
    }
  }

  @Test
  void aPeersDigitIsStartedAndEndedOnceAndItsTimeIsMissingFromTheAudio() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(peer.address(), Codec.PCMU, PT, new CallMedia(AudioSource.SILENCE, sink), "rx@t");
      int seq = 65_530; // across the wrap
      long ts = 0xFFFF_F000L;
      for (int i = 0; i < 10; i++) {
        peer.send(audio(seq++ & 0xFFFF, ts), s.localPort());
        ts += FRAME;
      }
      long digitTs = ts;
      int[] durations = {160, 320, 480, 640, 800, 800, 800};
      for (int i = 0; i < durations.length; i++) {
        peer.send(event(seq++ & 0xFFFF, digitTs, i == 0, 5, i >= 4, durations[i]), s.localPort());
        ts += FRAME;
      }
      for (int i = 0; i < 10; i++) {
        peer.send(audio(seq++ & 0xFFFF, ts & 0xFFFF_FFFFL), s.localPort());
        ts += FRAME;
      }

      sink.awaitWritten(20L * FRAME, WAIT);
      assertThat(sink.dtmf()).containsExactly(start('5', RFC4733), end('5', 100, RFC4733));
      assertThat(sink.missing()).isEqualTo(7L * FRAME);
      MediaStats st = s.stats();
      assertThat(st.lost()).as("events share the audio's sequence numbers").isZero();
      assertThat(st.telephoneEvents()).isEqualTo(7);
      assertThat(st.digitsReceived()).isEqualTo(1);
      assertThat(st.received()).isEqualTo(20);
    }
  }

  @Test
  void aDigitWhoseEndPacketsAreAllLostEndsEvenWhenNothingFollowsIt() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(peer.address(), Codec.PCMU, PT, new CallMedia(AudioSource.SILENCE, sink), "lost@t");
      peer.send(audio(100, 8000), s.localPort());
      // Updates of a digit, then nothing at all: its end packets and any audio after it lost.
      int[] durations = {160, 320, 480, 640};
      for (int i = 0; i < durations.length; i++) {
        peer.send(event(101 + i, 8160, i == 0, 7, false, durations[i]), s.localPort());
      }

      sink.awaitDtmf(2, WAIT);
      assertThat(sink.dtmf()).containsExactly(start('7', RFC4733), end('7', 80, RFC4733));
    }
  }

  @Test
  void aReInvitesTelephoneEventTypeIsTheOneReceivedAndSentFromThen() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(peer.address(), Codec.PCMU, PT, new CallMedia(AudioSource.SILENCE, sink), "pt@t");
      s.updateTelephoneEvent(96);
      int seq = 500;
      long ts = 16_000;
      // The old type is no event any more: dropped as a payload type not negotiated.
      peer.send(event(seq++, ts, true, 1, true, 800), s.localPort());
      Await.until(() -> s.stats().droppedPayloadType() == 1, () -> s.stats().toString());
      ts += 960;
      int[] durations = {160, 320, 480, 480, 480};
      for (int i = 0; i < durations.length; i++) {
        byte[] p = new byte[4];
        TelephoneEventPayload.write(p, 0, 9, i >= 2, 10, durations[i]);
        peer.send(
            packet()
                .payloadType(96)
                .marker(i == 0)
                .sequence(seq++)
                .timestamp(ts)
                .payload(p)
                .build(),
            s.localPort());
      }
      sink.awaitDtmf(2, WAIT);
      assertThat(sink.dtmf()).containsExactly(start('9', RFC4733), end('9', 60, RFC4733));

      CompletableFuture<Void> sent = s.sendDtmf('4', 60);
      java.util.Set<Integer> eventTypes = new java.util.HashSet<>();
      while (!sent.isDone()) {
        RtpPacket p = new RtpPacket();
        byte[] d = peer.receive();
        p.parse(d, 0, d.length);
        if (p.payloadType() != Codec.PCMU.payloadType()) {
          eventTypes.add(p.payloadType());
        }
      }
      sent.get();
      assertThat(eventTypes).containsExactly(96);

      s.updateTelephoneEvent(MediaSession.NO_TELEPHONE_EVENT);
      assertThatThrownBy(() -> s.sendDtmf('4', 60))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("telephone-event was not negotiated");
      s.close();
    }
  }

  @Test
  void telephoneEventNegotiatedOnlyByAReInviteCanBeSent() throws Exception {
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(
          peer.address(),
          Codec.PCMU,
          new CallMedia(AudioSource.SILENCE, new RecordingSink()),
          "late@t");
      assertThatThrownBy(() -> s.sendDtmf('1', 60)).isInstanceOf(IllegalStateException.class);
      s.updateTelephoneEvent(97);
      CompletableFuture<Void> sent = s.sendDtmf('1', 60);
      boolean sawEvent = false;
      while (!sent.isDone()) {
        RtpPacket p = new RtpPacket();
        byte[] d = peer.receive();
        p.parse(d, 0, d.length);
        sawEvent |= p.payloadType() == 97;
      }
      sent.get();
      assertThat(sawEvent).isTrue();
      assertThatThrownBy(() -> s.updateTelephoneEvent(128))
          .isInstanceOf(IllegalArgumentException.class);
      s.close();
      assertThatThrownBy(() -> s.updateTelephoneEvent(97))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aDigitStartsAtTheSinkWithinMillisecondsOfItsFirstPacket() throws Exception {
    RecordingSink sink = new RecordingSink();
    int digits = 60;
    long[] latencies = new long[digits];
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      s.start(peer.address(), Codec.PCMU, PT, new CallMedia(AudioSource.SILENCE, sink), "lat@t");
      int seq = 1;
      long ts = 8000;
      for (int d = 0; d < digits; d++) {
        peer.send(audio(seq++, ts), s.localPort());
        ts += FRAME;
        long sentAt = System.nanoTime();
        peer.send(event(seq++, ts, true, d % 16, false, FRAME), s.localPort());
        sink.awaitDtmf(2 * d + 1, WAIT);
        latencies[d] = sink.timedDtmf().get(2 * d).nanos() - sentAt;
        peer.send(event(seq++, ts, false, d % 16, true, 2 * FRAME), s.localPort());
        sink.awaitDtmf(2 * d + 2, WAIT);
        ts += 2 * FRAME;
      }
    }
    // The first ten warm the receive path up (class loading, the JIT); MEDIA.md's target for
    // the first packet to START is p99 ≤ 5 ms. Printed as a figure; asserted on the median only,
    // since two cores are shared with other builds here.
    long[] warm = java.util.Arrays.copyOfRange(latencies, 10, digits);
    java.util.Arrays.sort(warm);
    double p50 = warm[warm.length / 2] / 1e6;
    double max = warm[warm.length - 1] / 1e6;
    System.out.printf(
        "FIGURE MediaDtmfAndGapsTest dtmfStartLatency p50 = %.3f ms, max = %.3f ms (%d digits)%n",
        p50, max, warm.length);
    assertThat(p50).isLessThan(5.0);
  }

  @Test
  void digitsSentByOneSessionArriveAtAnotherWithTheirExactDurations() throws Exception {
    RecordingSink heardByB = new RecordingSink();
    MediaSession a = engine.allocate();
    MediaSession b = engine.allocate();
    b.start(local(a), Codec.PCMA, PT, new CallMedia(AudioSource.SILENCE, heardByB), "b@t");
    a.start(
        local(b),
        Codec.PCMA,
        PT,
        new CallMedia(new ScriptedSource(ScriptedSource.sweep(500)), new RecordingSink()),
        "a@t");
    heardByB.awaitWritten(5L * FRAME, WAIT);

    CompletableFuture<Void> one = a.sendDtmf('1', 100);
    CompletableFuture<Void> hash = a.sendDtmf('#', 200);
    CompletableFuture<Void> one2 = a.sendDtmf('1', 40);
    CompletableFuture.allOf(one, hash, one2).get(5, TimeUnit.SECONDS);
    heardByB.awaitDtmf(6, WAIT);
    long writtenThen = heardByB.written();
    heardByB.awaitWritten(writtenThen + 2L * FRAME, WAIT); // audio after the last digit

    assertThat(heardByB.dtmf())
        .containsExactly(
            start('1', RFC4733),
            end('1', 100, RFC4733),
            start('#', RFC4733),
            end('#', 200, RFC4733),
            start('1', RFC4733),
            end('1', 40, RFC4733));
    // Each digit took its ticks plus two for the repeated end: 7 + 12 + 4 ticks without audio.
    assertThat(heardByB.missing()).isEqualTo((7 + 12 + 4) * (long) FRAME);
    assertThat(b.stats().lost()).isZero();
    assertThat(a.stats().digitsSent()).isEqualTo(3);
    assertThat(b.stats().digitsReceived()).isEqualTo(3);
  }

  @Test
  void theSourceHearsOfEveryPacketWhetherItReachedTheSocketOrNot() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger onWire = new AtomicInteger();
    AtomicInteger notOnWire = new AtomicInteger();
    AudioSource counting =
        new AudioSource() {
          @Override
          public boolean read(short[] frame) {
            reads.incrementAndGet();
            java.util.Arrays.fill(frame, (short) 0);
            return false;
          }

          @Override
          public void sent(boolean wire) {
            (wire ? onWire : notOnWire).incrementAndGet();
          }
        };
    try (TestPeer peer = new TestPeer("127.0.0.1")) {
      MediaSession s = engine.allocate();
      // No usable address: latching, so nothing can be sent until the peer speaks.
      s.start(
          new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 9),
          Codec.PCMU,
          PT,
          new CallMedia(counting, new RecordingSink()),
          "sent@t");
      Await.until(() -> notOnWire.get() >= 5, () -> notOnWire + " unsent");
      assertThat(onWire.get()).isZero();

      peer.send(audio(1, 160), s.localPort()); // latches
      Await.until(() -> onWire.get() >= 10, () -> onWire + " sent");
      s.close();

      // A frame under way when close() returned still finishes; then the counts agree.
      Await.until(
          () ->
              onWire.get() == s.stats().sent()
                  && notOnWire.get() == s.stats().unsent()
                  && reads.get() == onWire.get() + notOnWire.get(),
          () ->
              "reads "
                  + reads
                  + ", sent(true) "
                  + onWire
                  + ", sent(false) "
                  + notOnWire
                  + ", "
                  + s.stats());
    }
  }
}

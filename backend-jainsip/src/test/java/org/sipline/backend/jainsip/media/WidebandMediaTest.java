package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.testing.CollectingSink;

/**
 * G.722 and Opus through the media path: 16 kHz frames of 320 samples both ways, content above 4
 * kHz (which G.711 cannot carry) arriving, the RTP clock of each codec, recordings at 16 kHz, and
 * payloads that are not one good frame concealed and counted rather than thrown.
 */
class WidebandMediaTest {
  private static final int RATE = 16_000;
  private static final double TONE_HZ = 6000;

  @TempDir Path recordings;

  private MediaEngine engine;

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  private void startEngine() throws java.io.IOException {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withRecordingsDir(recordings)
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(7)));
  }

  private static void assumeAvailable(Codec codec) {
    if (codec == Codec.OPUS) {
      assumeTrue(OpusEncoder.availability().available(), "libopus0 is not installed");
    }
  }

  /** A 6 kHz tone at 16 kHz, frame after frame; counts frames of a size other than 320. */
  private static final class ToneSource implements AudioSource {
    final AtomicInteger wrongFrames = new AtomicInteger();
    private long n;

    @Override
    public boolean read(short[] frame) {
      if (frame.length != RATE / 50) {
        wrongFrames.incrementAndGet();
      }
      for (int i = 0; i < frame.length; i++, n++) {
        frame[i] = (short) (10000 * Math.sin(2 * Math.PI * TONE_HZ * n / RATE));
      }
      return true;
    }
  }

  /** Power at {@code hz} relative to the whole stretch's (Goertzel), 0..1. */
  static double share(short[] s, int from, int to, double hz, int rate) {
    double coefficient = 2 * Math.cos(2 * Math.PI * hz / rate);
    double q1 = 0;
    double q2 = 0;
    double total = 0;
    for (int i = from; i < to; i++) {
      double q0 = coefficient * q1 - q2 + s[i];
      q2 = q1;
      q1 = q0;
      total += (double) s[i] * s[i];
    }
    double power = q1 * q1 + q2 * q2 - coefficient * q1 * q2;
    int n = to - from;
    return total == 0 ? 0 : 2 * power / n / total;
  }

  private static InetSocketAddress local(MediaSession s) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.localPort());
  }

  @ParameterizedTest
  @EnumSource(
      value = Codec.class,
      names = {"G722", "OPUS"})
  void audioAbove4KhzCrossesAt16KhzAndIsRecordedAt16Khz(Codec codec) throws Exception {
    assumeAvailable(codec);
    startEngine();
    ToneSource toneA = new ToneSource();
    ToneSource toneB = new ToneSource();
    CollectingSink heardByA = new CollectingSink();
    CollectingSink heardByB = new CollectingSink();
    MediaSession a = engine.allocate();
    MediaSession b = engine.allocate();
    int pt = codec == Codec.OPUS ? Codec.OPUS_PAYLOAD_TYPE : codec.payloadType();
    b.start(
        local(a),
        codec,
        pt,
        MediaSession.NO_TELEPHONE_EVENT,
        new CallMedia(toneB, heardByB),
        "b@test");
    a.start(
        local(b),
        codec,
        pt,
        MediaSession.NO_TELEPHONE_EVENT,
        new CallMedia(toneA, heardByA),
        "a@test");
    short[] atB = heardByB.awaitSamples(RATE, 10, java.util.concurrent.TimeUnit.SECONDS);
    heardByA.awaitSamples(RATE, 10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(toneA.wrongFrames).hasValue(0);
    assertThat(toneB.wrongFrames).hasValue(0);
    assertThat(atB.length % 320).isZero();
    // The second half second, well after any codec's start-up: the 6 kHz tone dominates.
    assertThat(share(atB, RATE / 2, RATE, TONE_HZ, RATE)).as("6 kHz share").isGreaterThan(0.8);
    assertThat(b.stats().lost()).isZero();
    assertThat(b.concealedPayloads()).isZero();
    a.close();
    b.close();
    Path file = recordings.resolve("b_test.wav");
    Await.until(() -> Files.exists(file) && size(file) > 44 + RATE, () -> "recording of b");
    ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(header.getInt(24)).as("sample rate").isEqualTo(RATE);
    assertThat(header.getInt(28)).as("byte rate").isEqualTo(2 * RATE);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  static Stream<Object[]> badPayloads() {
    return Stream.of(
        new Object[] {Codec.G722, 9, new byte[100]}, // 12.5 ms: not a 20 ms frame
        new Object[] {Codec.G722, 9, new byte[161]},
        new Object[] {
          Codec.OPUS, Codec.OPUS_PAYLOAD_TYPE, new byte[] {0x03, 0x00}
        }); // code 3, no count
  }

  @Test
  void aPayloadThatIsNotOneGoodFrameIsConcealedAndCountedNeverThrown() throws Exception {
    List<Object[]> cases = badPayloads().toList();
    for (Object[] c : cases) {
      Codec codec = (Codec) c[0];
      if (codec == Codec.OPUS && !OpusEncoder.availability().available()) {
        continue;
      }
      if (engine == null) {
        startEngine();
      }
      int pt = (Integer) c[1];
      byte[] bad = (byte[]) c[2];
      CollectingSink heard = new CollectingSink();
      MediaSession s = engine.allocate();
      s.start(
          null,
          codec,
          pt,
          MediaSession.NO_TELEPHONE_EVENT,
          new CallMedia(AudioSource.SILENCE, heard),
          "bad@test");
      try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        byte[] packet = new byte[RtpPacket.FIXED_HEADER_SIZE + bad.length];
        RtpPacket.writeHeader(packet, 0, true, pt, 1, 1000, 0x1234);
        System.arraycopy(bad, 0, packet, RtpPacket.FIXED_HEADER_SIZE, bad.length);
        peer.send(new DatagramPacket(packet, packet.length, local(s)));
        short[] got = heard.awaitSamples(320, 10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(got).as("%s: one 20 ms frame of concealment", codec).hasSize(320);
        assertThat(s.concealedPayloads()).as("%s: counted", codec).isEqualTo(1);
        assertThat(s.stats().droppedMalformed()).isZero();
      } finally {
        s.close();
      }
    }
  }
}

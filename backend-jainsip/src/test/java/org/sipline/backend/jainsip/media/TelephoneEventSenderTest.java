package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G711;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.SipFailureException;
import org.sipline.testing.ScriptedSource;

/**
 * The packets an {@link RtpSender} makes around a DTMF digit, byte by byte: driven tick by tick
 * from the test thread (no pacer), sent over loopback to a plain UDP socket.
 */
class TelephoneEventSenderTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;
  private static final int PT = 101;
  private static final long SSRC = 0xCAFE_BABEL;
  private static final long T = 0x7000_0000L;

  private DatagramChannel channel;
  private TestPeer peer;
  private CountingSource source;

  @BeforeEach
  void open() throws IOException {
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    peer = new TestPeer("127.0.0.1");
    source = new CountingSource();
  }

  @AfterEach
  void close() throws IOException {
    channel.close();
    peer.close();
  }

  /** SSRC, first sequence number 0xFFFE (so the digit crosses the wrap), first timestamp T. */
  private RtpSender sender(InetSocketAddress to) {
    return sender(to, source);
  }

  private RtpSender sender(InetSocketAddress to, AudioSource from) {
    int[] ints = {(int) SSRC, 0xFFFE, (int) T};
    RandomGenerator random =
        new RandomGenerator() {
          private int next;

          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int nextInt() {
            return ints[next++];
          }
        };
    return new RtpSender(
        channel,
        from,
        Codec.PCMU,
        new RtpPacketizer(Codec.PCMU, random),
        new RtpPeer(to),
        MediaClock.system(),
        "dtmf-tx@127.0.0.1",
        new TelephoneEventSender(PT));
  }

  /** The 12-byte header we expect, as hex. */
  private static String header(boolean marker, int pt, int seq, long ts) {
    byte[] b = new byte[12];
    RtpPacket.writeHeader(b, 0, marker, pt, seq, ts, SSRC);
    return HexFormat.of().formatHex(b);
  }

  private static String event(int code, boolean end, int duration) {
    byte[] b = new byte[4];
    TelephoneEventPayload.write(b, 0, code, end, TelephoneEventSender.VOLUME, duration);
    return HexFormat.of().formatHex(b);
  }

  private String next() throws IOException {
    return HexFormat.of().formatHex(peer.receive());
  }

  @Test
  void aDigitReplacesTheAudioWithEventPacketsAndItsEndThreeTimesThenAudioResumesOnTheClock()
      throws Exception {
    RtpSender s = sender(peer.address());
    s.sendFrame();
    assertThat(next()).isEqualTo(header(true, 0, 0xFFFE, T) + pcmu(source.frame(0)));

    CompletableFuture<Void> done = s.sendDtmf('5', 100);
    long t1 = T + FRAME;
    int[] durations = {160, 320, 480, 640, 800, 800, 800};
    int[] sequences = {0xFFFF, 0, 1, 2, 3, 4, 5};
    for (int i = 0; i < durations.length; i++) {
      assertThat(done).as("before event packet %d", i).isNotDone();
      s.sendFrame();
      assertThat(next())
          .as("event packet %d", i)
          .isEqualTo(header(i == 0, PT, sequences[i], t1) + event(5, i >= 4, durations[i]));
    }
    assertThat(done).isCompleted();

    s.sendFrame();
    // Eight ticks after the first packet, a talkspurt again: marked, on its own tick's time.
    assertThat(next()).isEqualTo(header(true, 0, 6, T + 8 * FRAME) + pcmu(source.frame(8)));
    assertThat(source.reads).as("the source is read on every tick").isEqualTo(9);
    assertThat(source.sent).containsOnly(true).hasSize(9);
    assertThat(s.digitsSent()).isEqualTo(1);
    assertThat(s.sent()).isEqualTo(9);
  }

  @Test
  void aDurationBetweenTicksEndsOnItsExactSampleCount() throws Exception {
    RtpSender s = sender(peer.address());
    CompletableFuture<Void> done = s.sendDtmf('#', 50);
    List<String> packets = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      s.sendFrame();
      packets.add(next());
    }

    assertThat(packets)
        .containsExactly(
            header(true, PT, 0xFFFE, T) + event(11, false, 160),
            header(false, PT, 0xFFFF, T) + event(11, false, 320),
            header(false, PT, 0, T) + event(11, true, 400),
            header(false, PT, 1, T) + event(11, true, 400),
            header(false, PT, 2, T) + event(11, true, 400),
            header(true, 0, 3, T + 5 * FRAME) + pcmu(source.frame(5)));
    assertThat(done).isCompleted();
  }

  @Test
  void digitsAskedForTogetherFollowEachOtherEachWithItsOwnTimestamp() throws Exception {
    RtpSender s = sender(peer.address());
    CompletableFuture<Void> star = s.sendDtmf('*', 40);
    CompletableFuture<Void> d = s.sendDtmf('D', 60);

    List<String> packets = new ArrayList<>();
    for (int i = 0; i < 2 + 2 + 3 + 2; i++) {
      s.sendFrame();
      packets.add(next());
    }

    assertThat(packets)
        .containsExactly(
            header(true, PT, 0xFFFE, T) + event(10, false, 160),
            header(false, PT, 0xFFFF, T) + event(10, true, 320),
            header(false, PT, 0, T) + event(10, true, 320),
            header(false, PT, 1, T) + event(10, true, 320),
            header(true, PT, 2, T + 4 * FRAME) + event(15, false, 160),
            header(false, PT, 3, T + 4 * FRAME) + event(15, false, 320),
            header(false, PT, 4, T + 4 * FRAME) + event(15, true, 480),
            header(false, PT, 5, T + 4 * FRAME) + event(15, true, 480),
            header(false, PT, 6, T + 4 * FRAME) + event(15, true, 480));
    assertThat(star).isCompleted();
    assertThat(d).isCompleted();
  }

  @Test
  void ticksThePacerSkippedDuringADigitCountIntoItsDurationAndAreReported() throws Exception {
    RtpSender s = sender(peer.address());
    CompletableFuture<Void> done = s.sendDtmf('1', 200);
    s.sendFrame();
    assertThat(next()).isEqualTo(header(true, PT, 0xFFFE, T) + event(1, false, 160));

    s.skipFrames(3);
    s.sendFrame();

    assertThat(source.skipped).containsExactly(3);
    assertThat(next()).isEqualTo(header(false, PT, 0xFFFF, T) + event(1, false, 800));
    int[] durations = {960, 1120, 1280, 1440, 1600, 1600, 1600};
    for (int i = 0; i < durations.length; i++) {
      s.sendFrame();
      assertThat(next()).isEqualTo(header(false, PT, i, T) + event(1, i >= 4, durations[i]));
    }
    assertThat(done).isCompleted();
    s.sendFrame();
    assertThat(next()).startsWith(header(true, 0, 7, T + 12 * FRAME));
  }

  @Test
  void withoutAPeerAddressTheDigitPassesUnsentAndFails() throws Exception {
    RtpSender s = sender(null);
    CompletableFuture<Void> done = s.sendDtmf('7', 40);
    for (int i = 0; i < 4; i++) {
      s.sendFrame();
    }

    assertThat(done).isCompletedExceptionally();
    assertThatThrownBy(done::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SipFailureException.class)
        .hasMessageContaining("DTMF '7' was not sent");
    assertThat(source.sent).containsOnly(false).hasSize(4);
    assertThat(s.unsent()).isEqualTo(4);
  }

  @Test
  void closingFailsTheDigitUnderWayAndTheQueuedOnes() {
    RtpSender s = sender(peer.address());
    CompletableFuture<Void> first = s.sendDtmf('1', 100);
    CompletableFuture<Void> second = s.sendDtmf('2', 100);
    s.sendFrame();

    s.close();

    for (CompletableFuture<Void> f : List.of(first, second)) {
      assertThatThrownBy(f::get)
          .cause()
          .isInstanceOf(SipFailureException.class)
          .hasMessageContaining("RTP stopped before DTMF");
    }
    assertThatThrownBy(() -> s.sendDtmf('3', 100).get())
        .cause()
        .isInstanceOf(SipFailureException.class);
  }

  @Test
  void aBadDigitOrDurationIsRefusedNamingIt() {
    RtpSender s = sender(peer.address());
    assertThatThrownBy(() -> s.sendDtmf('x', 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a DTMF digit: 'x' (one of 0123456789*#ABCD)");
    assertThatThrownBy(() -> s.sendDtmf('1', 39))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DTMF duration 39 ms outside 40..2000 ms");
    assertThatThrownBy(() -> s.sendDtmf('1', 2001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DTMF duration 2001 ms outside 40..2000 ms");
  }

  @Test
  void withoutTelephoneEventTheSenderRefusesDtmf() {
    RtpSender s =
        new RtpSender(
            channel,
            source,
            Codec.PCMA,
            new RtpPacketizer(Codec.PCMA, RandomGenerator.of("L64X128MixRandom")),
            new RtpPeer(peer.address()),
            MediaClock.system(),
            "no-dtmf@127.0.0.1",
            null);
    assertThatThrownBy(() -> s.sendDtmf('1', 100))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("telephone-event was not negotiated");
  }

  @Test
  void sendingAudioAndDigitsAllocatesNothingPerTick() throws Exception {
    source = null; // the counting source keeps lists; this one must allocate nothing itself
    RtpSender s = sender(peer.address(), new ScriptedSource(ScriptedSource.sweep(5000)));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    // Warm up: the JIT, the socket's first send, the digit queue's first node.
    List<CompletableFuture<Void>> warmUp = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      if (i % 100 == 0) {
        warmUp.add(s.sendDtmf('9', 60));
      }
      s.sendFrame();
      drain();
    }
    // The least of three windows: an allocation per tick shows in every window (200 ticks make it
    // 200 bytes at least), while a one-off on this thread does not — a JIT deoptimisation
    // re-creating objects escape analysis had removed once cost 256 bytes in a CI run.
    long least = Long.MAX_VALUE;
    for (int window = 0; window < 3; window++) {
      CompletableFuture<Void> digit = s.sendDtmf('0', 2000); // queued before the measurement

      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 200; i++) {
        s.sendFrame();
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(thread) - before);

      assertThat(digit).isCompleted(); // 102 ticks of digit, then audio
    }
    assertThat(warmUp).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(least).as("bytes allocated over 200 ticks, least of 3 windows").isLessThan(200);
  }

  private void drain() throws IOException {
    peer.receive();
  }

  private static String pcmu(short[] pcm) {
    byte[] b = new byte[pcm.length];
    G711.encodeUlaw(pcm, 0, b, 0, pcm.length);
    return HexFormat.of().formatHex(b);
  }

  /** A sweep, frame after frame, noting what the sender tells it. */
  private static final class CountingSource implements AudioSource {
    private final short[] audio = ScriptedSource.sweep(100);
    int reads;
    final List<Boolean> sent = new ArrayList<>();
    final List<Integer> skipped = new ArrayList<>();

    short[] frame(int n) {
      int at = (n % 100) * FRAME;
      return Arrays.copyOfRange(audio, at, at + FRAME);
    }

    @Override
    public boolean read(short[] frame) {
      System.arraycopy(audio, (reads % 100) * FRAME, frame, 0, FRAME);
      reads++;
      return true;
    }

    @Override
    public void sent(boolean onWire) {
      sent.add(onWire);
    }

    @Override
    public void skipped(int frames) {
      skipped.add(frames);
    }
  }
}

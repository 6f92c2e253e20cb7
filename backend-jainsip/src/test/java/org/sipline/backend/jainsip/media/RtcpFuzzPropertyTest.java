package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sipline.core.spi.AudioSource;

/**
 * 10,000 random, truncated and bit-flipped RTCP datagrams from the far end's address: none throws
 * out of the receive path, each is either taken or counted as dropped, and the parser only ever
 * refuses with {@link MalformedRtpException}.
 */
class RtcpFuzzPropertyTest {
  private static final InetSocketAddress FAR_RTP = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress FAR_RTCP = new InetSocketAddress("127.0.0.1", 40001);
  private static ScheduledExecutorService timer;
  private static DatagramChannel channel;
  private static RtcpSession session;
  private static long handled;

  @BeforeContainer
  static void open() throws Exception {
    timer = Executors.newSingleThreadScheduledExecutor();
    channel = DatagramChannel.open();
    channel.bind(new InetSocketAddress("127.0.0.1", 0));
    FakeClock clock = new FakeClock(1_000_000_000L);
    RtpPeer peer = new RtpPeer(FAR_RTP);
    RtpSender sender =
        new RtpSender(
            channel,
            AudioSource.SILENCE,
            Codec.PCMU,
            new RtpPacketizer(Codec.PCMU, new Random(1)),
            peer,
            clock,
            "fuzz@test",
            null);
    session =
        new RtcpSession(
            channel,
            peer,
            sender,
            new ReceptionStatistics(8000),
            clock,
            new NtpTime(0, 0),
            new Random(2),
            timer,
            "fuzz@test",
            "fuzz");
  }

  @AfterContainer
  static void close() throws Exception {
    session.close(false);
    channel.close();
    timer.shutdownNow();
    assertThat(session.received() + session.dropped()).isEqualTo(handled);
    assertThat(session.dropped()).as("most fuzzed packets are malformed").isGreaterThan(5_000);
    assertThat(session.received()).as("some survive intact").isGreaterThan(100);
  }

  /** A valid compound packet, then cut, flipped or replaced by noise. */
  private static byte[] packet(Random random) {
    byte[] p =
        RtcpParserTest.compound(
            random.nextBoolean(),
            random.nextBoolean(),
            "x".repeat(random.nextInt(40)),
            random.nextBoolean());
    switch (random.nextInt(5)) {
      case 0 -> p = Arrays.copyOf(p, random.nextInt(p.length + 1));
      case 1 -> {
        for (int i = random.nextInt(4); i >= 0; i--) {
          p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 2 -> {
        p = new byte[random.nextInt(200)];
        random.nextBytes(p);
        if (p.length > 1 && random.nextBoolean()) {
          p[0] = (byte) (0x80 | (p[0] & 0x1F));
          p[1] = (byte) (200 + random.nextInt(2));
        }
      }
      case 3 -> p[2 + random.nextInt(2)] = (byte) random.nextInt(256);
      default -> {
        // intact
      }
    }
    return p;
  }

  @Property(tries = 10_000)
  void receivePathNeverThrows(@ForAll long seed) {
    Random random = new Random(seed);
    byte[] p = packet(random);
    byte[] buf = Arrays.copyOf(p, ReceiveLoop.MAX_DATAGRAM + 1);
    try {
      RtcpParser.parse(buf, 0, p.length, new RtcpParserTest.Recording());
    } catch (MalformedRtpException e) {
      assertThat(e.getMessage()).startsWith("RTCP");
    }
    session.onDatagram(buf, p.length, FAR_RTCP);
    handled++;
  }
}

package org.sipline.benchmarks.micro;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.MediaClock;
import org.sipline.core.spi.AudioSource;

/**
 * One call's RTCP as the jainsip backend runs it, to show what each packet costs and that it
 * allocates nothing ({@code -prof gc}: {@code gc.alloc.rate.norm} ≈ 0 B/op):
 *
 * <ul>
 *   <li>{@code compoundWritten}: an SR with one report block and our SDES CNAME written into the
 *       session's buffer ({@code RtcpWriter}), no socket;
 *   <li>{@code reportSent}: the session's whole report as its timer sends it: the report block
 *       taken from the receive statistics, the compound written, and sent over UDP on loopback to a
 *       socket nobody reads (the kernel drops what overflows it);
 *   <li>{@code compoundReceived}: a far end's compound packet (SR with a report block about our
 *       stream, SDES) taken by the session's receive path: source check, the whole-datagram
 *       validation, the parse, and the figures it updates (round trip from LSR/DLSR included).
 * </ul>
 *
 * <p>The session and its parts are package-private in the media package; the benchmark makes them
 * by reflection in its setup and calls the measured methods through a private method-handle lookup,
 * as {@link RtpPacketizeBenchmark} does, rather than widening the production API. The session's
 * report timer is never started: the benchmark calls the report itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtcpBenchmark {
  private static final String MEDIA = "org.sipline.backend.jainsip.media.";
  private static final MethodHandle SEND;
  private static final MethodHandle ON_DATAGRAM;
  private static final MethodHandle WRITE;

  static {
    try {
      Class<?> session = Class.forName(MEDIA + "RtcpSession");
      Class<?> writer = Class.forName(MEDIA + "RtcpWriter");
      Class<?> block = Class.forName(MEDIA + "RtcpWriter$Block");
      MethodHandles.Lookup in = MethodHandles.privateLookupIn(session, MethodHandles.lookup());
      SEND =
          in.findVirtual(session, "send", MethodType.methodType(void.class, boolean.class))
              .asType(MethodType.methodType(void.class, Object.class, boolean.class));
      ON_DATAGRAM =
          in.findVirtual(
                  session,
                  "onDatagram",
                  MethodType.methodType(
                      void.class, byte[].class, int.class, InetSocketAddress.class))
              .asType(
                  MethodType.methodType(
                      void.class, Object.class, byte[].class, int.class, InetSocketAddress.class));
      WRITE =
          MethodHandles.privateLookupIn(writer, MethodHandles.lookup())
              .findStatic(
                  writer,
                  "write",
                  MethodType.methodType(
                      int.class,
                      byte[].class,
                      long.class,
                      boolean.class,
                      long.class,
                      long.class,
                      long.class,
                      long.class,
                      block,
                      byte[].class,
                      boolean.class))
              .asType(
                  MethodType.methodType(
                      int.class,
                      byte[].class,
                      long.class,
                      boolean.class,
                      long.class,
                      long.class,
                      long.class,
                      long.class,
                      Object.class,
                      byte[].class,
                      boolean.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private DatagramChannel channel;
  private DatagramChannel sink;
  private ScheduledExecutorService timer;
  private Object session;
  private InetSocketAddress farRtcp;
  private byte[] farCompound;
  private int farLength;
  private Object block;
  private final byte[] out = new byte[256];
  private final byte[] cname = "bench@127.0.0.1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private long ntp = 1_000_000_000L;

  @Setup
  public void setUp() throws Throwable {
    // The far end: RTP on sink's port − 1, so its RTCP (RTP + 1) is the sink, which nobody reads.
    sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    int sinkPort = ((InetSocketAddress) sink.getLocalAddress()).getPort();
    InetSocketAddress farRtp = new InetSocketAddress("127.0.0.1", sinkPort - 1);
    farRtcp = new InetSocketAddress("127.0.0.1", sinkPort);
    channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    timer = Executors.newSingleThreadScheduledExecutor();
    MediaClock clock = MediaClock.system();
    RandomGenerator random = new SplittableRandom(7);

    Object peer = make("RtpPeer", new Class<?>[] {InetSocketAddress.class}, farRtp);
    Object packetizer =
        make(
            "RtpPacketizer",
            new Class<?>[] {Codec.class, RandomGenerator.class},
            Codec.PCMU,
            random);
    Class<?> packetizerClass = Class.forName(MEDIA + "RtpPacketizer");
    Class<?> peerClass = Class.forName(MEDIA + "RtpPeer");
    Object sender =
        make(
            "RtpSender",
            new Class<?>[] {
              DatagramChannel.class,
              AudioSource.class,
              Codec.class,
              packetizerClass,
              peerClass,
              MediaClock.class,
              String.class,
              Class.forName(MEDIA + "TelephoneEventSender")
            },
            channel,
            AudioSource.SILENCE,
            Codec.PCMU,
            packetizer,
            peer,
            clock,
            "bench@test",
            null);
    Object statistics = make("ReceptionStatistics", new Class<?>[] {int.class}, 8000);
    // One packet of the far end's stream, so that our reports carry a report block about it.
    Method onPacket =
        statistics
            .getClass()
            .getDeclaredMethod(
                "onPacket",
                long.class,
                int.class,
                long.class,
                long.class,
                int.class,
                boolean.class);
    onPacket.setAccessible(true);
    onPacket.invoke(statistics, 0x1234_5678L, 100, 16_000L, clock.nanoTime(), 160, true);
    Object ntpTime =
        make(
            "NtpTime",
            new Class<?>[] {long.class, long.class},
            System.currentTimeMillis(),
            clock.nanoTime());
    session =
        make(
            "RtcpSession",
            new Class<?>[] {
              DatagramChannel.class,
              peerClass,
              Class.forName(MEDIA + "RtpSender"),
              statistics.getClass(),
              MediaClock.class,
              ntpTime.getClass(),
              RandomGenerator.class,
              ScheduledExecutorService.class,
              String.class,
              String.class
            },
            channel,
            peer,
            sender,
            statistics,
            clock,
            ntpTime,
            random,
            timer,
            "bench@test",
            "bench");

    // The far end's compound: an SR with a report block about our SSRC, its LSR one of ours.
    Method ssrc = packetizerClass.getDeclaredMethod("ssrc");
    ssrc.setAccessible(true);
    long ours = (long) ssrc.invoke(packetizer);
    block = make("RtcpWriter$Block", new Class<?>[] {});
    set(block, "source", ours);
    set(block, "extendedHighestSequence", 5000L);
    set(block, "jitter", 8L);
    set(block, "lastSr", 0x1234_0000L);
    set(block, "delaySinceLastSr", 0x0000_8000L);
    farCompound = new byte[256];
    farLength =
        (int)
            WRITE.invokeExact(
                farCompound,
                0x1234_5678L,
                true,
                2_000_000_000L,
                160_000L,
                5000L,
                800_000L,
                block,
                "far@127.0.0.1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                false);
  }

  private static Object make(String name, Class<?>[] types, Object... args)
      throws ReflectiveOperationException {
    Constructor<?> c = Class.forName(MEDIA + name).getDeclaredConstructor(types);
    c.setAccessible(true);
    return c.newInstance(args);
  }

  private static void set(Object o, String field, long value) throws ReflectiveOperationException {
    var f = o.getClass().getDeclaredField(field);
    f.setAccessible(true);
    f.setLong(o, value);
  }

  @TearDown
  public void tearDown() throws Exception {
    timer.shutdownNow();
    channel.close();
    sink.close();
  }

  @Benchmark
  public int compoundWritten() throws Throwable {
    ntp += 20_000_000L;
    return (int)
        WRITE.invokeExact(out, 0xCAFE_BABEL, true, ntp, 160L, 50L, 8000L, block, cname, false);
  }

  @Benchmark
  public void reportSent() throws Throwable {
    SEND.invokeExact(session, false);
  }

  @Benchmark
  public void compoundReceived() throws Throwable {
    ON_DATAGRAM.invokeExact(session, farCompound, farLength, farRtcp);
  }
}

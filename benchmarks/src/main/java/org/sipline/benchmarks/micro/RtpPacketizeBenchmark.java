package org.sipline.benchmarks.micro;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.core.spi.AudioFrames;

/**
 * Building one outgoing RTP packet as the jainsip backend's sender does per pacer tick: the
 * packetizer writes the 12-byte header (sequence, timestamp, SSRC, marker), then the 20 ms frame is
 * G.711-encoded behind it. Reading the audio source and the UDP send are not included (see {@link
 * UdpSendBenchmark} for the send).
 *
 * <p>The packetizer and the codec's encode method are package-private in the media package, as they
 * should be; the benchmark reaches them through a private method-handle lookup (allowed on the
 * class path, where every package is open) rather than widening the production API. Handles held in
 * static finals are constants to the JIT, so the calls inline like direct ones.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpPacketizeBenchmark {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;
  private static final int HEADER = 12;
  private static final MethodHandle NEW_PACKETIZER;
  private static final MethodHandle NEXT_HEADER;
  private static final MethodHandle ENCODE;

  static {
    try {
      Class<?> packetizer = Class.forName("org.sipline.backend.jainsip.media.RtpPacketizer");
      MethodHandles.Lookup media =
          MethodHandles.privateLookupIn(packetizer, MethodHandles.lookup());
      NEW_PACKETIZER =
          media
              .findConstructor(
                  packetizer, MethodType.methodType(void.class, Codec.class, RandomGenerator.class))
              .asType(MethodType.methodType(Object.class, Codec.class, RandomGenerator.class));
      NEXT_HEADER =
          media
              .findVirtual(
                  packetizer,
                  "nextHeader",
                  MethodType.methodType(int.class, byte[].class, boolean.class, int.class))
              .asType(
                  MethodType.methodType(
                      int.class, Object.class, byte[].class, boolean.class, int.class));
      ENCODE =
          media.findVirtual(
              Codec.class,
              "encode",
              MethodType.methodType(
                  void.class, short[].class, int.class, byte[].class, int.class, int.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(
          "the media package no longer has the packetizer"
              + " shape this benchmark measures: "
              + e);
    }
  }

  private final short[] frame = new short[FRAME];
  private final byte[] packet = new byte[HEADER + FRAME];
  private Object packetizer;
  private boolean audio;

  @Setup
  public void prepare() throws Throwable {
    SplittableRandom random = new SplittableRandom(3550);
    for (int i = 0; i < FRAME; i++) {
      frame[i] = (short) random.nextInt(-8000, 8000);
    }
    packetizer = (Object) NEW_PACKETIZER.invokeExact(Codec.PCMU, (RandomGenerator) random);
  }

  /** One PCMU packet: header, then 160 encoded samples. */
  @Benchmark
  public byte[] packetizePcmu() throws Throwable {
    int header = (int) NEXT_HEADER.invokeExact(packetizer, packet, true, FRAME);
    ENCODE.invokeExact(Codec.PCMU, frame, 0, packet, header, FRAME);
    return packet;
  }

  /** The same, alternating audio and silence frames so the marker bit logic takes both paths. */
  @Benchmark
  public byte[] packetizePcmuTalkspurts() throws Throwable {
    audio = !audio;
    int header = (int) NEXT_HEADER.invokeExact(packetizer, packet, audio, FRAME);
    ENCODE.invokeExact(Codec.PCMU, frame, 0, packet, header, FRAME);
    return packet;
  }
}

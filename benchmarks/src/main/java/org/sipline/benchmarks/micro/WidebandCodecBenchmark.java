package org.sipline.benchmarks.micro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sipline.backend.jainsip.media.OpusDecoder;
import org.sipline.backend.jainsip.media.OpusEncoder;
import org.sipline.core.audio.G722Decoder;
import org.sipline.core.audio.G722Encoder;

/**
 * G.722 (Java) and Opus (libopus through JNA), one 20 ms frame per invocation, reported per frame:
 * the cost a call adds to the pacer (encode) and to the receive loop (decode). The input is speech
 * shaped — a sweep from 100 Hz to 7 kHz under noise — so both codecs work as hard as on a voice,
 * not on silence they would code for free. Opus runs at 16 kHz (what a G.722-class call needs) and
 * 48 kHz (RFC 7587's clock rate).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WidebandCodecBenchmark {
  /** Frames cycled through, so that the coders' state keeps moving as on a call. */
  private static final int FRAMES = 50;

  @Param({"16000", "48000"})
  public int opusRate;

  private short[][] wideband;
  private short[][] opusFrames;
  private byte[][] g722Payloads;
  private byte[][] opusPayloads;
  private int[] opusLengths;
  private final short[] decoded = new short[960];
  private final byte[] packet = new byte[OpusEncoder.MAX_PACKET_BYTES];
  private int next;

  private G722Encoder g722Encoder;
  private G722Decoder g722Decoder;
  private OpusEncoder opusEncoder;
  private OpusDecoder opusDecoder;

  @Setup(Level.Trial)
  public void setUp() {
    wideband = frames(16000);
    opusFrames = frames(opusRate);
    g722Encoder = new G722Encoder();
    g722Decoder = new G722Decoder();
    g722Payloads = new byte[FRAMES][160];
    for (int i = 0; i < FRAMES; i++) {
      g722Encoder.encode(wideband[i], 0, g722Payloads[i], 0, 320);
    }
    opusEncoder = new OpusEncoder(opusRate, 0, false, false);
    opusDecoder = new OpusDecoder(opusRate);
    opusPayloads = new byte[FRAMES][];
    opusLengths = new int[FRAMES];
    for (int i = 0; i < FRAMES; i++) {
      opusLengths[i] = opusEncoder.encode(opusFrames[i], packet);
      opusPayloads[i] = packet.clone();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    opusEncoder.close();
    opusDecoder.close();
  }

  private static short[][] frames(int rate) {
    int frame = rate / 50;
    short[][] out = new short[FRAMES][frame];
    java.util.SplittableRandom random = new java.util.SplittableRandom(50);
    double phase = 0;
    for (int i = 0; i < FRAMES * frame; i++) {
      double f = 100 * Math.pow(70, (double) i / (FRAMES * frame));
      phase += 2 * Math.PI * f / rate;
      out[i / frame][i % frame] = (short) (9000 * Math.sin(phase) + random.nextInt(-1500, 1501));
    }
    return out;
  }

  private int nextFrame() {
    int i = next;
    next = i + 1 == FRAMES ? 0 : i + 1;
    return i;
  }

  @Benchmark
  public byte[] g722Encode() {
    g722Encoder.encode(wideband[nextFrame()], 0, packet, 0, 320);
    return packet;
  }

  @Benchmark
  public short[] g722Decode() {
    g722Decoder.decode(g722Payloads[nextFrame()], 0, decoded, 0, 160);
    return decoded;
  }

  @Benchmark
  public int opusEncode() {
    return opusEncoder.encode(opusFrames[nextFrame()], packet);
  }

  @Benchmark
  public short[] opusDecode() {
    int i = nextFrame();
    opusDecoder.decode(opusPayloads[i], 0, opusLengths[i], decoded);
    return decoded;
  }
}

package org.sipline.benchmarks.micro;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sipline.core.audio.G711;
import org.sipline.core.spi.AudioFrames;

/**
 * G.711 µ-law and A-law, one 20 ms frame (160 samples) per invocation, reported per sample. The
 * input is random full-scale PCM so every table entry range is exercised, not one cached line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(AudioFrames.FRAME_SAMPLES)
public class G711Benchmark {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  private final short[] pcm = new short[FRAME];
  private final byte[] ulaw = new byte[FRAME];
  private final byte[] alaw = new byte[FRAME];
  private final short[] decoded = new short[FRAME];

  @Setup
  public void fillFrame() {
    SplittableRandom random = new SplittableRandom(20);
    for (int i = 0; i < FRAME; i++) {
      pcm[i] = (short) random.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
    }
    G711.encodeUlaw(pcm, 0, ulaw, 0, FRAME);
    G711.encodeAlaw(pcm, 0, alaw, 0, FRAME);
  }

  @Benchmark
  public byte[] encodeUlaw() {
    G711.encodeUlaw(pcm, 0, ulaw, 0, FRAME);
    return ulaw;
  }

  @Benchmark
  public short[] decodeUlaw() {
    G711.decodeUlaw(ulaw, 0, decoded, 0, FRAME);
    return decoded;
  }

  @Benchmark
  public byte[] encodeAlaw() {
    G711.encodeAlaw(pcm, 0, alaw, 0, FRAME);
    return alaw;
  }

  @Benchmark
  public short[] decodeAlaw() {
    G711.decodeAlaw(alaw, 0, decoded, 0, FRAME);
    return decoded;
  }
}

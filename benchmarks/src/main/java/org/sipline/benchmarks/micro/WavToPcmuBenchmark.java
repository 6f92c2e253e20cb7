package org.sipline.benchmarks.micro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sipline.benchmarks.audio.SignalWav;
import org.sipline.core.audio.G711;
import org.sipline.core.audio.WavDecoder;

/**
 * What SipPlayWavFiles does to a file before it can play: parse the WAV, downmix, resample to 8 kHz
 * ({@link WavDecoder#toCodecRate}), then G.711 µ-law encode it all. One invocation converts a
 * {@value #CLIP_SECONDS} s clip and counts as {@value #CLIP_SECONDS} operations, so that one
 * operation is one second of audio:
 *
 * <ul>
 *   <li>{@code nanosPerAudioSecond} (average time): ns of one core per second of audio;
 *   <li>{@code realTimeFactor} (throughput): seconds of audio per second of one core, i.e. how many
 *       times real time one core converts.
 * </ul>
 */
@State(Scope.Thread)
@OperationsPerInvocation(WavToPcmuBenchmark.CLIP_SECONDS)
public class WavToPcmuBenchmark {
  static final int CLIP_SECONDS = 10;

  /**
   * Sample rate and channels of the input file: telephone-native, wideband, CD stereo and studio
   * stereo (the resampler's two shapes: a polyphase last stage, and integer stages only).
   */
  @Param({"8000-mono", "16000-mono", "44100-stereo", "48000-stereo"})
  public String input;

  private byte[] wav;

  @Setup
  public void writeWav() {
    String[] parts = input.split("-");
    int rate = Integer.parseInt(parts[0]);
    int channels =
        switch (parts[1]) {
          case "mono" -> 1;
          case "stereo" -> 2;
          default -> throw new IllegalArgumentException("input channels not mono/stereo: " + input);
        };
    wav = SignalWav.speechLike(rate, channels, CLIP_SECONDS * 1000);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public byte[] nanosPerAudioSecond() {
    return convert();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public byte[] realTimeFactor() {
    return convert();
  }

  private byte[] convert() {
    short[] pcm = WavDecoder.toCodecRate(wav);
    byte[] pcmu = new byte[pcm.length];
    G711.encodeUlaw(pcm, 0, pcmu, 0, pcm.length);
    return pcmu;
  }
}

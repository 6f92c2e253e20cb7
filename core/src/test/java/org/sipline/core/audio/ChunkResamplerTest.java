package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChunkResamplerTest {
  private static final int[] RATES = {8000, 16000, 24000, 32000, 48000};

  /** A tone with noise on it, so that any misplaced or repeated sample shows. */
  private static short[] signal(int rate, int length, long seed) {
    Random random = new Random(seed);
    short[] s = new short[length];
    for (int i = 0; i < length; i++) {
      double v = 9000 * Math.sin(2 * Math.PI * 1000 * i / rate) + random.nextGaussian() * 2000;
      s[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
    return s;
  }

  private static short[] inChunks(int rate, short[] input, Random random, int maxChunk) {
    ChunkResampler chunked = ChunkResampler.toCodecRate(rate);
    short[] out = new short[0];
    int at = 0;
    while (at < input.length) {
      int n = Math.min(input.length - at, random.nextInt(maxChunk + 1));
      out = concat(out, chunked.push(input, at, n));
      at += n;
    }
    return concat(out, chunked.finish());
  }

  private static short[] concat(short[] a, short[] b) {
    short[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Property(tries = 200)
  void anyChunkingGivesExactlyWhatTheWholeStreamResampledGives(
      @ForAll("rates") int rate,
      @ForAll @IntRange(min = 0, max = 20_000) int length,
      @ForAll @IntRange(min = 1, max = 4000) int maxChunk,
      @ForAll long seed) {
    short[] input = signal(rate, length, seed);
    short[] whole = Resampler.toCodecRate(rate).resample(input);
    assertThat(inChunks(rate, input, new Random(seed), maxChunk)).containsExactly(whole);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> rates() {
    return net.jqwik.api.Arbitraries.of(16000, 24000, 48000, 32000, 8000);
  }

  @Test
  void singleSamplesAndEmptyChunksToo() {
    for (int rate : RATES) {
      short[] input = signal(rate, 3000, rate);
      ChunkResampler chunked = ChunkResampler.toCodecRate(rate);
      short[] out = new short[0];
      for (int i = 0; i < input.length; i++) {
        out = concat(out, chunked.push(input, i, 1));
        out = concat(out, chunked.push(input, i, 0));
      }
      out = concat(out, chunked.finish());
      assertThat(out)
          .as("%d Hz", rate)
          .containsExactly(Resampler.toCodecRate(rate).resample(input));
    }
  }

  @Test
  void holdsBackOnlyAFewMillisecondsOfInput() {
    for (int rate : RATES) {
      ChunkResampler chunked = ChunkResampler.toCodecRate(rate);
      int twentyMs = rate / 50;
      short[] input = signal(rate, 50 * twentyMs, 7);
      int out = 0;
      for (int f = 0; f < 50; f++) {
        out += chunked.push(input, f * twentyMs, twentyMs).length;
      }
      // One second in: what is out lags the input by at most 25 ms (the filters' reach).
      assertThat(out).as("%d Hz", rate).isGreaterThan(8000 - 200);
      assertThat(chunked.pending() * 1000 / rate).as("%d Hz, ms held", rate).isLessThan(40);
    }
  }

  @Test
  void refusesPushAfterFinish() {
    ChunkResampler chunked = ChunkResampler.toCodecRate(16000);
    chunked.finish();
    assertThat(chunked.finish()).isEmpty();
    assertThatThrownBy(() -> chunked.push(new short[1], 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("push after finish");
  }
}

package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sipline.testing.TestWavs;

class PromptCacheTest {
  private static final int RATE = Resampler.TARGET_RATE;

  private final AtomicInteger decodings = new AtomicInteger();
  private final Function<byte[], short[]> counting =
      wav -> {
        decodings.incrementAndGet();
        return WavDecoder.toCodecRate(wav);
      };

  @Test
  void theSameBytesAreDecodedOnceAndEveryCallerGetsTheOneArray() {
    PromptCache cache = new PromptCache(1 << 20);
    byte[] wav = TestWavs.sine(16000, 1, 440, 500, 0.5);
    short[] first = cache.decode(wav, RATE, counting);
    short[] second = cache.decode(wav.clone(), RATE, counting); // equal content, another array
    assertThat(second).isSameAs(first);
    assertThat(first).isEqualTo(WavDecoder.toCodecRate(wav));
    assertThat(decodings).hasValue(1);
    assertThat(cache.bytes()).isEqualTo(2L * first.length);
  }

  @Test
  void changedContentIsDecodedAfresh() {
    PromptCache cache = new PromptCache(1 << 20);
    byte[] wav = TestWavs.sine(8000, 1, 440, 500, 0.5);
    short[] before = cache.decode(wav, RATE, counting);
    byte[] changed = wav.clone();
    changed[changed.length - 1] ^= 0x7F; // one sample different, same length
    short[] after = cache.decode(changed, RATE, counting);
    assertThat(after).isNotSameAs(before).isEqualTo(WavDecoder.toCodecRate(changed));
    assertThat(after).isNotEqualTo(before);
    assertThat(decodings).hasValue(2);
  }

  @Test
  void anotherTargetRateIsAnotherEntry() {
    PromptCache cache = new PromptCache(1 << 20);
    byte[] wav = TestWavs.sine(16000, 1, 440, 500, 0.5);
    short[] narrow = cache.decode(wav, 8000, counting);
    short[] wide = cache.decode(wav, 16000, WavReaderSamples.AT_FILE_RATE);
    assertThat(wide).isNotSameAs(narrow).hasSize(2 * narrow.length);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void theBoundIsRespectedLeastRecentlyUsedFirstOut() {
    byte[] a = TestWavs.sine(8000, 1, 440, 100, 0.5); // 800 samples: 1600 bytes each
    byte[] b = TestWavs.sine(8000, 1, 550, 100, 0.5);
    byte[] c = TestWavs.sine(8000, 1, 660, 100, 0.5);
    PromptCache cache = new PromptCache(2 * 1600);
    short[] first = cache.decode(a, RATE, counting);
    cache.decode(b, RATE, counting);
    assertThat(cache.decode(a, RATE, counting)).isSameAs(first); // a used last: b is oldest
    cache.decode(c, RATE, counting);
    assertThat(cache.bytes()).isEqualTo(3200);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(decodings).hasValue(3);
    assertThat(cache.decode(a, RATE, counting)).isSameAs(first);
    assertThat(decodings).as("a kept").hasValue(3);
    cache.decode(b, RATE, counting);
    assertThat(decodings).as("b was evicted").hasValue(4);
    assertThat(cache.bytes()).isLessThanOrEqualTo(3200);
  }

  @Test
  void aPromptLargerThanTheBoundIsDecodedButNotKept() {
    PromptCache cache = new PromptCache(100);
    byte[] wav = TestWavs.sine(8000, 1, 440, 100, 0.5);
    short[] once = cache.decode(wav, RATE, counting);
    short[] again = cache.decode(wav, RATE, counting);
    assertThat(again).isNotSameAs(once).isEqualTo(once);
    assertThat(cache.bytes()).isZero();
    assertThat(cache.size()).isZero();
    assertThat(decodings).hasValue(2);
  }

  @Test
  void aFailedDecodingIsNotKeptAndIsTriedAgain() {
    PromptCache cache = new PromptCache(1 << 20);
    byte[] notWav = {1, 2, 3, 4};
    assertThatThrownBy(() -> cache.decode(notWav, RATE, counting))
        .isInstanceOf(WavFormatException.class);
    assertThatThrownBy(() -> cache.decode(notWav, RATE, counting))
        .isInstanceOf(WavFormatException.class);
    assertThat(decodings).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void concurrentFirstUseDecodesOnce() throws Exception {
    PromptCache cache = new PromptCache(1 << 20);
    byte[] wav = TestWavs.sine(16000, 1, 440, 1000, 0.5);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<byte[], short[]> slow =
        bytes -> {
          decodings.incrementAndGet();
          inside.countDown();
          try {
            // Held until every other caller has asked, so that they all find it in flight.
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return WavDecoder.toCodecRate(bytes);
        };
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<short[]>> results = new ArrayList<>();
      results.add(pool.submit(() -> cache.decode(wav, RATE, slow)));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 7; i++) {
        results.add(pool.submit(() -> cache.decode(wav.clone(), RATE, slow)));
      }
      // Every waiter is parked on the one decoding before it is let go.
      while (pool instanceof java.util.concurrent.ThreadPoolExecutor t && t.getActiveCount() < 8) {
        Thread.onSpinWait();
      }
      release.countDown();
      short[] first = results.get(0).get(10, TimeUnit.SECONDS);
      for (Future<short[]> r : results) {
        assertThat(r.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(decodings).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void waitersOfAFailingDecodingSeeItsFailure() throws Exception {
    PromptCache cache = new PromptCache(1 << 20);
    byte[] wav = {9, 9, 9};
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<byte[], short[]> failing =
        bytes -> {
          inside.countDown();
          try {
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new WavFormatException("not a WAV file");
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<short[]> first = pool.submit(() -> cache.decode(wav, RATE, failing));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      Future<short[]> waiter = pool.submit(() -> cache.decode(wav, RATE, failing));
      while (pool instanceof java.util.concurrent.ThreadPoolExecutor t && t.getActiveCount() < 2) {
        Thread.onSpinWait();
      }
      release.countDown();
      for (Future<short[]> f : List.of(first, waiter)) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(WavFormatException.class);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesANegativeBound() {
    assertThatThrownBy(() -> new PromptCache(-1)).hasMessageContaining("maxBytes");
  }

  /** A decoder keeping the file's own rate, standing in for a wideband target. */
  private static final class WavReaderSamples {
    static final Function<byte[], short[]> AT_FILE_RATE = wav -> WavReader.read(wav).samples();
  }
}

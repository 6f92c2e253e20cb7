package org.sipline.core.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Where refreshes fall in the granted expiry, and how retries back off. */
class RegistrationTimingTest {
  /** nextDouble() == 0. */
  private static final RandomGenerator LOWEST = () -> 0L;

  /** nextDouble() just below 1. */
  private static final RandomGenerator HIGHEST = () -> -1L;

  @Test
  void refreshesFallUniformlyBetweenHalfAndNineTenthsOfTheGrantedExpiry() {
    SplittableRandom random = new SplittableRandom(42);
    int granted = 600;
    int[] buckets = new int[4]; // 50–60 %, 60–70 %, 70–80 %, 80–90 %
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      long ms = RegistrationTiming.refreshDelay(granted, random).toMillis();
      assertThat(ms).isBetween(300_000L, 540_000L);
      buckets[(int) Math.min(3, (ms - 300_000) / 60_000)]++;
    }
    for (int b : buckets) {
      // Uniform: a quarter each (5 000 ± a few standard deviations of 61).
      assertThat(b).isBetween(4_700, 5_300);
    }
    assertThat(RegistrationTiming.refreshDelay(granted, LOWEST)).hasSeconds(300);
    assertThat(RegistrationTiming.refreshDelay(granted, HIGHEST)).hasSeconds(540);
  }

  @Test
  void theRefreshFollowsWhatWasGrantedNotWhatWasAsked() {
    SplittableRandom random = new SplittableRandom(1);
    for (int granted : new int[] {60, 120, 3600}) {
      Duration d = RegistrationTiming.refreshDelay(granted, random);
      assertThat(d.toMillis()).isBetween(granted * 500L, granted * 900L);
    }
    // A registrar granting nothing to speak of: refreshed soon, not in a busy loop.
    assertThat(RegistrationTiming.refreshDelay(0, random)).hasMillis(500);
    assertThatThrownBy(() -> RegistrationTiming.refreshDelay(-1, random))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retriesDoubleFromOneSecondWithJitterAndStopGrowingAtAMinute() {
    long[] fullSeconds = {1, 2, 4, 8, 16, 32, 60, 60, 60};
    for (int failures = 1; failures <= fullSeconds.length; failures++) {
      long full = fullSeconds[failures - 1] * 1000;
      assertThat(RegistrationTiming.retryDelay(failures, LOWEST).toMillis()).isEqualTo(full / 2);
      assertThat(RegistrationTiming.retryDelay(failures, HIGHEST).toMillis()).isEqualTo(full);
    }
    SplittableRandom random = new SplittableRandom(5);
    long previousMean = 0;
    for (int failures = 1; failures <= 40; failures++) {
      long sum = 0;
      for (int i = 0; i < 1000; i++) {
        long ms = RegistrationTiming.retryDelay(failures, random).toMillis();
        assertThat(ms).isBetween(500L, 60_000L);
        sum += ms;
      }
      long mean = sum / 1000;
      if (failures <= 7) {
        assertThat(mean).as("mean wait after %d failures", failures).isGreaterThan(previousMean);
      }
      previousMean = mean;
    }
    // A thousand lines failing together spread their next attempt over the jitter's half.
    assertThat(RegistrationTiming.retryDelay(Integer.MAX_VALUE, LOWEST)).hasSeconds(30);
    assertThatThrownBy(() -> RegistrationTiming.retryDelay(0, random))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

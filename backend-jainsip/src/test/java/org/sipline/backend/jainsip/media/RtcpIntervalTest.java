package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** RFC 3550 A.7 for a call: the 5 s minimum, halved at first, randomised and compensated. */
class RtcpIntervalTest {
  private static double seconds(boolean initial, double random) {
    RandomGenerator r =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new AssertionError("only nextDouble");
          }

          @Override
          public double nextDouble() {
            return random;
          }
        };
    return RtcpInterval.seconds(2, 2, 500, true, 120, initial, r);
  }

  @Test
  void aCallReportsAtTheMinimumRandomisedAndCompensated() {
    double e = Math.E - 1.5;
    assertThat(seconds(false, 0.0)).isCloseTo(5 * 0.5 / e, offset(1e-9));
    assertThat(seconds(false, 0.5)).isCloseTo(5 / e, offset(1e-9));
    assertThat(seconds(false, 0.999_999)).isCloseTo(5 * 1.5 / e, offset(1e-5));
    assertThat(seconds(true, 0.5)).isCloseTo(2.5 / e, offset(1e-9));
  }

  @Test
  void aLowBandwidthSessionReportsLessOften() {
    RandomGenerator half =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new AssertionError("only nextDouble");
          }

          @Override
          public double nextDouble() {
            return 0.5;
          }
        };
    // 120 bytes · 2 members / 20 B/s = 12 s deterministic, above the minimum.
    assertThat(RtcpInterval.seconds(2, 2, 20, true, 120, false, half))
        .isCloseTo(12 / (Math.E - 1.5), offset(1e-9));
    // One sender of four members, we the sender: a quarter of the bandwidth for one.
    assertThat(RtcpInterval.seconds(4, 1, 20, true, 120, false, half))
        .isCloseTo(120 * 1 / 5.0 / (Math.E - 1.5), offset(1e-9));
    // ... and we a receiver: three quarters for the three others.
    assertThat(RtcpInterval.seconds(4, 1, 20, false, 120, false, half))
        .isCloseTo(120 * 3 / 15.0 / (Math.E - 1.5), offset(1e-9));
  }

  @Test
  void theMeanIntervalOfARealGeneratorIsTheMinimumOverTheCompensation() {
    RandomGenerator r = new java.util.Random(3);
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int i = 0; i < 10_000; i++) {
      double t = RtcpInterval.seconds(2, 2, 500, true, 120, false, r);
      sum += t;
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    assertThat(sum / 10_000).isCloseTo(5 / (Math.E - 1.5), offset(0.05));
    assertThat(min).isGreaterThanOrEqualTo(2.5 / (Math.E - 1.5));
    assertThat(max).isLessThan(7.5 / (Math.E - 1.5));
  }
}

package org.sipline.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRankOfAHundredValues() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100L - i; // unsorted on purpose
    }
    Percentiles p = new Percentiles(v, 100);

    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.at(99)).isEqualTo(99);
    assertThat(p.at(99.9)).isEqualTo(100);
    assertThat(p.max()).isEqualTo(100);
  }

  @Test
  void onlyTheFirstCountValuesAreTaken() {
    Percentiles p = new Percentiles(new long[] {3, 1, 2, 1000}, 3);

    assertThat(p.count()).isEqualTo(3);
    assertThat(p.max()).isEqualTo(3);
  }

  @Test
  void noValuesGiveMinusOne() {
    Percentiles p = new Percentiles(new long[0], 0);

    assertThat(p.at(50)).isEqualTo(-1);
    assertThat(p.max()).isEqualTo(-1);
  }

  @Test
  void aPercentOutsideTheRangeIsRefused() {
    assertThatThrownBy(() -> new Percentiles(new long[] {1}, 1).at(0)).hasMessageContaining("0.0");
  }
}

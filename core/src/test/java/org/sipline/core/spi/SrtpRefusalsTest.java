package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SrtpRefusalsTest {
  @Test
  void countsAreSummedAndNoneIsZero() {
    assertThat(new SrtpRefusals(3, 2, 1).total()).isEqualTo(6);
    assertThat(SrtpRefusals.NONE.total()).isZero();
  }

  @Test
  void aNegativeCountIsRefusedNamingTheCounts() {
    assertThatThrownBy(() -> new SrtpRefusals(-1, 0, 0)).hasMessageContaining("-1/0/0");
    assertThatThrownBy(() -> new SrtpRefusals(0, -1, 0)).hasMessageContaining("0/-1/0");
    assertThatThrownBy(() -> new SrtpRefusals(0, 0, -1)).hasMessageContaining("0/0/-1");
  }

  @Test
  void statisticsWithoutRefusalsCarryNoneAndTheFullFormKeepsThem() {
    RtpStatistics plain =
        new RtpStatistics(
            1, 2, 3, 4, ReceptionReport.NONE, ReceptionReport.NONE, -1, -1, -1, 0, 0, 0);
    assertThat(plain.srtp()).isSameAs(SrtpRefusals.NONE);
    assertThat(RtpStatistics.NONE.srtp()).isSameAs(SrtpRefusals.NONE);
    SrtpRefusals some = new SrtpRefusals(1, 0, 0);
    RtpStatistics secure =
        new RtpStatistics(
            1, 2, 3, 4, ReceptionReport.NONE, ReceptionReport.NONE, -1, -1, -1, 0, 0, 0, some);
    assertThat(secure.srtp()).isSameAs(some);
    assertThatThrownBy(
            () ->
                new RtpStatistics(
                    1,
                    2,
                    3,
                    4,
                    ReceptionReport.NONE,
                    ReceptionReport.NONE,
                    -1,
                    -1,
                    -1,
                    0,
                    0,
                    0,
                    null))
        .hasMessageContaining("srtp");
  }
}

package org.sipline.core.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.sipline.core.spi.ReceptionReport;
import org.sipline.core.spi.RtpStatistics;

/** The E-model's figures against values worked out by hand from G.107's formulas. */
class EModelTest {
  private static ReceptionReport lost(long lost, long expected) {
    return new ReceptionReport(true, expected, lost, 0, 0);
  }

  @Test
  void perfectG711CallScoresTheDefaultRating() {
    // R = 93.2: MOS = 1 + 0.035·93.2 + 93.2·33.2·6.8·7e-6 = 4.409.
    assertThat(EModel.mos("PCMU", lost(0, 1000), 0)).isCloseTo(4.409, offset(0.001));
    assertThat(EModel.mos("pcma", lost(0, 1000), 50)).isCloseTo(4.409, offset(0.001));
  }

  @Test
  void lossLowersTheScoreThroughIeEff() {
    // 1 %: Ie,eff = 95·1/(1 + 4.3) = 17.92, R = 75.28, MOS 3.834.
    assertThat(EModel.mos("PCMU", lost(10, 1000), 0)).isCloseTo(3.834, offset(0.001));
    // 5 %: Ie,eff = 95·5/9.3 = 51.08, R = 42.12, MOS = 1 + 1.474 + 42.12·(−17.88)·57.88·7e-6.
    double r = 93.2 - 95 * 5 / 9.3;
    assertThat(EModel.mos("PCMU", lost(50, 1000), 0))
        .isCloseTo(1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6, offset(1e-9));
  }

  @Test
  void delayAbove100MillisecondsCostsIdd() {
    assertThat(EModel.delayImpairment(100)).isZero();
    assertThat(EModel.delayImpairment(-1)).isZero();
    // Ta = 200 ms: X = 1, Idd = 25·(2^⅙ − 3·(1 + 1/729)^⅙ + 2) = 3.04.
    assertThat(EModel.delayImpairment(200)).isCloseTo(3.04, offset(0.01));
    // Ta = 400 ms: X = 2, Idd = 25·(65^⅙ − 3·(1 + 64/729)^⅙ + 2) = 24.07.
    assertThat(EModel.delayImpairment(400)).isCloseTo(24.07, offset(0.01));
    assertThat(EModel.mos("PCMU", lost(0, 1000), 400))
        .isLessThan(EModel.mos("PCMU", lost(0, 1000), 200));
  }

  @Test
  void ratingBeyondTheScaleIsClamped() {
    assertThat(EModel.mosFromR(-5)).isEqualTo(1);
    assertThat(EModel.mosFromR(0)).isEqualTo(1);
    assertThat(EModel.mosFromR(100)).isEqualTo(4.5);
    assertThat(EModel.mosFromR(120)).isEqualTo(4.5);
    assertThat(EModel.mos("PCMU", lost(1000, 1000), 1000)).isEqualTo(1);
  }

  @Test
  void noEstimateWithoutFiguresOrForAnUnknownCodec() {
    assertThat(EModel.mos("PCMU", ReceptionReport.NONE, 0)).isEqualTo(EModel.NONE);
    assertThat(EModel.mos("PCMU", new ReceptionReport(true, 0, 0, 0, 0), 0)).isEqualTo(0);
    assertThat(EModel.mos("opus", lost(0, 1000), 0)).isEqualTo(EModel.NONE);
    assertThat(EModel.mos("", lost(0, 1000), 0)).isEqualTo(EModel.NONE);
  }

  @Test
  void lossRatioIgnoresDuplicatesAndIsCapped() {
    assertThat(new ReceptionReport(true, 100, -3, 0, 0).lossRatio()).isZero();
    assertThat(new ReceptionReport(true, 100, 25, 0.5, 0).lossRatio()).isEqualTo(0.25);
    assertThat(new ReceptionReport(true, 100, 250, 1, 0).lossRatio()).isEqualTo(1);
  }

  @Test
  void figuresOutOfRangeAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new ReceptionReport(true, -1, 0, 0, 0))
        .hasMessageContaining("expected");
    assertThatThrownBy(() -> new ReceptionReport(true, 1, 0, 1.5, 0))
        .hasMessageContaining("fractionLost");
    assertThatThrownBy(() -> new ReceptionReport(true, 1, 0, Double.NaN, 0))
        .hasMessageContaining("fractionLost");
    assertThatThrownBy(() -> new ReceptionReport(true, 1, 0, 0, -2))
        .hasMessageContaining("jitterMillis");
    ReceptionReport none = ReceptionReport.NONE;
    assertThatThrownBy(() -> new RtpStatistics(-1, 0, 0, 0, none, none, -1, -1, -1, 0, 0, 0))
        .hasMessageContaining("negative RTP counter");
    assertThatThrownBy(() -> new RtpStatistics(0, 0, 0, 0, none, none, -1, -1, -1, 0, -1, 0))
        .hasMessageContaining("negative RTCP counter");
    assertThatThrownBy(() -> new RtpStatistics(0, 0, 0, 0, none, none, -1, -1, -2, 0, 0, 0))
        .hasMessageContaining("roundTripMillis");
    assertThat(RtpStatistics.NONE.hasRoundTrip()).isFalse();
    assertThat(new RtpStatistics(0, 0, 0, 0, none, none, -1, -1, 0, 0, 0, 0).hasRoundTrip())
        .isTrue();
  }
}

package org.sipline.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TsharkFieldsTest {
  @Test
  void readsAnRtpLine() {
    CapturedPacket p =
        TsharkFields.parse(
            new String[] {
              "1795741083.621131327", "39432", "41000", "0x000004d2", "65535", "4294967295"
            });

    assertThat(p)
        .isEqualTo(
            new CapturedPacket(
                1_795_741_083_621_131_327L, 39432, 41000, 0x4d2, 65535, 4_294_967_295L));
  }

  @Test
  void aDatagramTsharkCouldNotDissectAsRtpIsSkipped() {
    assertThat(
            TsharkFields.parse(new String[] {"1795741083.621131327", "39432", "41000", "", "", ""}))
        .isNull();
  }

  @Test
  void aRowOfAnotherShapeIsRefusedNamingIt() {
    assertThatThrownBy(() -> TsharkFields.parse(new String[] {"1795741083.6", "39432"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 2")
        .hasMessageContaining("1795741083.6 | 39432");
  }

  @Test
  void fewerThanNineDecimalsAreScaled() {
    assertThat(TsharkFields.epochNanos("12.5")).isEqualTo(12_500_000_000L);
    assertThat(TsharkFields.epochNanos("12")).isEqualTo(12_000_000_000L);
  }

  @Test
  void moreThanNineDecimalsAreRefused() {
    assertThatThrownBy(() -> TsharkFields.epochNanos("1.0123456789"))
        .hasMessageContaining("1.0123456789");
  }
}

package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {

  @Test
  void durationsReadShortUnitsAndIso8601() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(DurationConverter.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aDurationWithoutUnitOrUnparseableIsRefusedWithAnExample() {
    assertThatThrownBy(() -> DurationConverter.parse("10"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'10' needs a unit: ms, s, m or h");
    assertThatThrownBy(() -> DurationConverter.parse("soon"))
        .hasMessageContaining("'soon' is not a duration");
  }

  @Test
  void byteSizesReadBinaryUnits() {
    assertThat(ByteSizeConverter.parse("1048576")).isEqualTo(1048576L);
    assertThat(ByteSizeConverter.parse("512KiB")).isEqualTo(512L * 1024);
    assertThat(ByteSizeConverter.parse("32MiB")).isEqualTo(32L * 1024 * 1024);
    assertThat(ByteSizeConverter.parse("32m")).isEqualTo(32L * 1024 * 1024);
    assertThat(ByteSizeConverter.parse("1GiB")).isEqualTo(1L << 30);
  }

  @Test
  void aByteSizeWithAnUnknownUnitIsRefused() {
    assertThatThrownBy(() -> ByteSizeConverter.parse("32MB"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'32MB' is not a byte size");
    assertThatThrownBy(() -> ByteSizeConverter.parse("-1"))
        .hasMessageContaining("'-1' is not a byte size");
  }

  @Test
  void rtpPortsReadARangeOrAny() {
    RtpPorts.Converter c = new RtpPorts.Converter();
    assertThat(c.convert("10000-20000")).isEqualTo(new RtpPorts(10000, 20000));
    assertThat(c.convert("ANY")).isEqualTo(RtpPorts.ANY);
    assertThatThrownBy(() -> c.convert("10000"))
        .hasMessage("'10000' is not a port range (MIN-MAX or any)");
  }
}

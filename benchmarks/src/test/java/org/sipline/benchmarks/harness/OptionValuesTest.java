package org.sipline.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The benchmark mains' shared value reading: each bad value refused naming its flag. */
class OptionValuesTest {
  @Test
  void wholeNumbersAreCheckedAgainstTheirRange() {
    assertThat(OptionValues.wholeNumber("--calls", "500", 0, 5000)).isEqualTo(500);
    assertThatThrownBy(() -> OptionValues.wholeNumber("--calls", "5001", 0, 5000))
        .hasMessage("--calls: 5001 out of range 0..5000");
    assertThatThrownBy(() -> OptionValues.wholeNumber("--calls", "many", 0, 5000))
        .hasMessage("--calls: not a whole number: 'many'");
    assertThat(OptionValues.wholeNumbers("--rates", "20, 50,100", 1, 1000))
        .containsExactly(20, 50, 100);
  }

  @Test
  void choicesListsAndFlags() {
    assertThat(OptionValues.oneOf("--stack", "line", "line", "media")).isEqualTo("line");
    assertThatThrownBy(() -> OptionValues.oneOf("--stack", "sip", "line", "media"))
        .hasMessage("--stack: want one of line, media: 'sip'");
    assertThat(OptionValues.distinctList("--metrics", "off,on", "on", "off"))
        .containsExactly("off", "on");
    assertThatThrownBy(() -> OptionValues.distinctList("--metrics", "on,on", "on", "off"))
        .hasMessage("--metrics: on given twice: 'on,on'");
    assertThat(OptionValues.trueOrFalse("--baresip", "FALSE")).isFalse();
    assertThatThrownBy(() -> OptionValues.trueOrFalse("--baresip", "no"))
        .hasMessage("--baresip: want true or false: 'no'");
    assertThat(OptionValues.jvmFlags("  -Xmx1g   -XX:+UseZGC "))
        .containsExactly("-Xmx1g", "-XX:+UseZGC");
    assertThat(OptionValues.jvmFlags(" ")).isEmpty();
  }

  @Test
  void aFlagWithoutItsValueAndAnUnknownFlagCarryTheUsage() {
    assertThatThrownBy(() -> OptionValues.valueAfter(new String[] {"--seconds"}, 0, "usage: x"))
        .hasMessage("--seconds: missing value\nusage: x");
    assertThat(OptionValues.valueAfter(new String[] {"--seconds", "3"}, 0, "u")).isEqualTo("3");
    assertThat(OptionValues.unknown("--nope", "usage: x"))
        .hasMessage("unknown option --nope\nusage: x");
    assertThat(OptionValues.timestamped("pacing").toString())
        .matches("target/pacing-\\d{8}-\\d{6}");
  }
}

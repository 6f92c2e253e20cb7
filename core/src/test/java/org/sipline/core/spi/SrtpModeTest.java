package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code --srtp}'s values, and the config that carries them to every backend. */
class SrtpModeTest {
  @Test
  void flagsParseInAnyCaseAndPrintLowerCase() {
    assertThat(SrtpMode.parse("off")).isEqualTo(SrtpMode.OFF);
    assertThat(SrtpMode.parse(" Offer ")).isEqualTo(SrtpMode.OFFER);
    assertThat(SrtpMode.parse("REQUIRE")).isEqualTo(SrtpMode.REQUIRE);
    assertThat(SrtpMode.REQUIRE.flag()).isEqualTo("require");
  }

  @Test
  void anyOtherValueIsRefusedNamingItAndTheChoices() {
    assertThatThrownBy(() -> SrtpMode.parse("mandatory"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mandatory'")
        .hasMessageContaining("off, offer, require");
    assertThatThrownBy(() -> SrtpMode.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theConfigDefaultsToOffAndKeepsTheModeWhenRebuilt() {
    assertThat(BackendConfig.loopback().build().srtp()).isEqualTo(SrtpMode.OFF);
    assertThat(BackendConfig.loopback().srtp(null).build().srtp()).isEqualTo(SrtpMode.OFF);
    BackendConfig config = BackendConfig.loopback().srtp(SrtpMode.REQUIRE).build();
    assertThat(config.toBuilder().sipPort(5062).build().srtp()).isEqualTo(SrtpMode.REQUIRE);
  }
}

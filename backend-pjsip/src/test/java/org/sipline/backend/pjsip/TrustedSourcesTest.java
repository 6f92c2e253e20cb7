package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedSourcesTest {
  @Test
  void noOptionTrustsNoOneBeyondTheAccountsHosts() {
    TrustedSources t = TrustedSources.parse(null);
    assertThat(t.anyone()).isFalse();
    assertThat(t.addresses(List.of())).isEmpty();
  }

  @Test
  void addressesAreTakenWithAnySeparatorAndIpv6InBrackets() {
    TrustedSources t = TrustedSources.parse("127.0.0.2;127.0.0.3, [::1] 10.0.0.1");
    assertThat(t.anyone()).isFalse();
    assertThat(t.addresses(List.of()))
        .containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3", "0:0:0:0:0:0:0:1", "10.0.0.1");
  }

  @Test
  void starIsAnyone() {
    assertThat(TrustedSources.parse("*").anyone()).isTrue();
  }

  @Test
  void aHostNameIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> TrustedSources.parse("127.0.0.2;pbx.example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trusted.sources")
        .hasMessageContaining("pbx.example.com");
  }
}

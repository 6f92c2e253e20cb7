package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackendProvider;

class PjsipBackendProviderTest {
  @Test
  void isFoundByServiceLoaderUnderItsName() {
    assertThat(
            ServiceLoader.load(SipBackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .map(SipBackendProvider::name))
        .contains("pjsip");
  }

  @Test
  void ranksBelowJainsip() {
    assertThat(new PjsipBackendProvider().priority()).isEqualTo(50);
  }

  @Test
  void withoutTheShimItIsUnavailableAndCreateSaysWhy() {
    PjsipBackendProvider provider =
        new PjsipBackendProvider(new ShimLoader("sipline-no-such-shim"));

    assertThat(provider.availability().available()).isFalse();
    assertThatThrownBy(() -> provider.create(BackendConfig.loopback().build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("libsipline-no-such-shim.so not found");
  }
}

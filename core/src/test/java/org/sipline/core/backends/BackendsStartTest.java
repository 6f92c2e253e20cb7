package org.sipline.core.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipBackendProvider;
import org.sipline.testing.FakeBackend;

/** {@link Backends#start}: the declared options are enforced before the backend is touched. */
class BackendsStartTest {
  /** Declares one option and counts the backends it was asked to create. */
  private static final class Counting implements SipBackendProvider {
    int created;
    SipBackend returns = new FakeBackend();

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public int priority() {
      return 1;
    }

    @Override
    public Availability availability() {
      return Availability.yes();
    }

    @Override
    public List<BackendOption> options() {
      return List.of(BackendOption.integer("register.expires", 1, 86_400, "Expires"));
    }

    @Override
    public SipBackend create(BackendConfig config) {
      created++;
      return returns;
    }
  }

  private static BackendConfig withOptions(Map<String, String> options) {
    return BackendConfig.loopback().options(options).build();
  }

  @Test
  void declaredOptionsReachTheBackend() {
    Counting provider = new Counting();
    SipBackend backend = Backends.start(provider, withOptions(Map.of("register.expires", "60")));
    assertThat(backend).isSameAs(provider.returns);
    assertThat(provider.created).isEqualTo(1);
    backend.close();
  }

  @Test
  void anUnknownOptionStopsTheStartBeforeTheBackendIsCreated() {
    Counting provider = new Counting();
    assertThatThrownBy(() -> Backends.start(provider, withOptions(Map.of("nosuch", "1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown counting option 'nosuch'; valid: register.expires (an integer 1..86400)");
    assertThat(provider.created).isZero();
  }

  @Test
  void aMalformedOptionStopsTheStartBeforeTheBackendIsCreated() {
    Counting provider = new Counting();
    assertThatThrownBy(
            () -> Backends.start(provider, withOptions(Map.of("register.expires", "-5"))))
        .hasMessage(
            "counting option 'register.expires': '-5' is outside 1..86400; want an integer"
                + " 1..86400");
    assertThat(provider.created).isZero();
  }

  @Test
  void aProviderThatCreatesNothingIsRefused() {
    Counting provider = new Counting();
    provider.returns = null;
    assertThatThrownBy(() -> Backends.start(provider, withOptions(Map.of())))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("counting created no backend");
  }
}

package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A backend's observer: none unless given, kept by {@link BackendConfig#toBuilder()}. */
class BackendObserverTest {
  @Test
  void aConfigWithoutObserverReportsToNone() {
    assertThat(BackendConfig.loopback().build().observer()).isSameAs(BackendObserver.NONE);
    assertThat(BackendConfig.loopback().observer(null).build().observer())
        .isSameAs(BackendObserver.NONE);
    assertThatCode(
            () -> {
              BackendObserver.NONE.paced(1_000);
              BackendObserver.NONE.strangerRefused("INVITE", 403);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void theObserverIsKeptWhenAConfigIsRebuilt() {
    List<String> seen = new ArrayList<>();
    BackendObserver observer =
        new BackendObserver() {
          @Override
          public void paced(long lagNanos) {
            seen.add("paced " + lagNanos);
          }
        };
    BackendConfig config = BackendConfig.loopback().observer(observer).build();
    BackendConfig rebuilt = config.toBuilder().sipPort(5062).build();
    assertThat(rebuilt.observer()).isSameAs(observer);
    rebuilt.observer().paced(7);
    rebuilt.observer().strangerRefused("OPTIONS", 403); // the default: ignored
    assertThat(seen).containsExactly("paced 7");
  }
}

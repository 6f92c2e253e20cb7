package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.BackendConfig;
import org.sipline.testing.FakeBackend;

class LineWaitsTest {
  private static final BackendConfig BACKEND =
      BackendConfig.loopback()
          .registerTimeout(Duration.ofSeconds(7))
          .transactionTimeout(Duration.ofSeconds(20))
          .transferTimeout(Duration.ofSeconds(40))
          .build();

  @Test
  void unsetWaitsAreDerivedFromTheBackendsBoundsWithAMargin() {
    LineWaits w = LineWaits.of(LineConfig.defaults(), BACKEND);
    assertThat(w.register()).isEqualTo(Duration.ofSeconds(12));
    assertThat(w.hangup()).isEqualTo(Duration.ofSeconds(23));
    assertThat(w.transfer()).isEqualTo(Duration.ofSeconds(55));
    assertThat(w.callSetup()).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void callSetupGrowsWithAnInviteTransactionLongerThanThreeMinutes() {
    BackendConfig slow = BACKEND.toBuilder().transactionTimeout(Duration.ofMinutes(4)).build();
    assertThat(LineWaits.of(LineConfig.defaults(), slow).callSetup())
        .isEqualTo(Duration.ofMinutes(4).plusSeconds(5));
  }

  @Test
  void explicitWaitsLongerThanTheBackendsAreKept() {
    LineConfig config =
        LineConfig.builder()
            .registerWait(Duration.ofSeconds(8))
            .hangupWait(Duration.ofSeconds(21))
            .callSetupWait(Duration.ofSeconds(30))
            .transferWait(Duration.ofSeconds(41))
            .build();
    assertThat(LineWaits.of(config, BACKEND))
        .isEqualTo(
            new LineWaits(
                Duration.ofSeconds(8),
                Duration.ofSeconds(21),
                Duration.ofSeconds(30),
                Duration.ofSeconds(41)));
  }

  @Test
  void anExplicitWaitNotLongerThanTheBackendsIsRefusedNamingBoth() {
    assertThatThrownBy(
            () ->
                LineWaits.of(
                    LineConfig.builder().registerWait(Duration.ofSeconds(7)).build(), BACKEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registerWait PT7S is not longer than the backend's registerTimeout")
        .hasMessageContaining("PT12S");
    assertThatThrownBy(
            () ->
                LineWaits.of(
                    LineConfig.builder().hangupWait(Duration.ofSeconds(3)).build(), BACKEND))
        .hasMessageContaining("hangupWait PT3S")
        .hasMessageContaining("transactionTimeout PT20S");
    assertThatThrownBy(
            () ->
                LineWaits.of(
                    LineConfig.builder().callSetupWait(Duration.ofSeconds(20)).build(), BACKEND))
        .hasMessageContaining("callSetupWait PT20S");
    assertThatThrownBy(
            () ->
                LineWaits.of(
                    LineConfig.builder().transferWait(Duration.ofSeconds(39)).build(), BACKEND))
        .hasMessageContaining("transferWait PT39S")
        .hasMessageContaining("transferTimeout PT40S");
  }

  @Test
  void aLineWhoseWaitWouldExpireBeforeItsBackendsDoesNotOpen() {
    FakeBackend fake = new FakeBackend().config(BACKEND);
    try {
      assertThatThrownBy(
              () ->
                  Line.open(fake, LineConfig.builder().registerWait(Duration.ofSeconds(2)).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("registerWait");
    } finally {
      fake.close();
    }
  }

  @Test
  void aNegativeOrZeroWaitIsStillRefusedByTheConfig() {
    assertThatThrownBy(() -> LineConfig.builder().hangupWait(Duration.ZERO).build())
        .hasMessageContaining("hangupWait <= 0");
  }
}

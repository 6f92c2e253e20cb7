package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipline.backend.jainsip.media.MediaEngine;
import org.sipline.core.spi.BackendConfig;

/** The {@value BackendOptions#MEDIA_REALTIME} option: off, a FIFO priority, or refused. */
class MediaRealtimeOptionTest {
  private static BackendOptions withRealtime(String value) {
    return BackendOptions.from(
        BackendConfig.loopback().options(Map.of(BackendOptions.MEDIA_REALTIME, value)).build());
  }

  @Test
  void absentMeansTheDefaultFifoPriority() {
    BackendOptions options = BackendOptions.from(BackendConfig.loopback().build());
    assertThat(options.pacerRealtime())
        .isEqualTo(MediaEngine.PACER_REALTIME_DEFAULT)
        .isBetween(1, 99);
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "OFF", " off "})
  void offTurnsTheRequestOff(String value) {
    assertThat(withRealtime(value).pacerRealtime()).isEqualTo(MediaEngine.PACER_REALTIME_OFF);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 50, 99})
  void aPriorityFromOneToNinetyNineIsTaken(int priority) {
    assertThat(withRealtime(Integer.toString(priority)).pacerRealtime()).isEqualTo(priority);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "100", "-5"})
  void aPriorityOutOfRangeIsRefusedNamingOptionAndValue(String value) {
    assertThatThrownBy(() -> withRealtime(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jainsip option 'media.realtime': '"
                + value
                + "' is outside 1..99; want an integer 1..99 or off");
  }

  @ParameterizedTest
  @ValueSource(strings = {"high", "on", "", "5.5", "fifo:10"})
  void anythingElseIsRefusedNamingOptionAndValue(String value) {
    assertThatThrownBy(() -> withRealtime(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jainsip option 'media.realtime': '"
                + value
                + "' is not an integer; want an integer 1..99 or off");
  }
}

package org.sipline.benchmarks.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.sipline.benchmarks.media.MediaOptions.Phase;

class MediaOptionsTest {
  @Test
  void defaultsRunEveryPhaseButTheStallWithTheTablesFigures() {
    MediaOptions o = MediaOptions.parse(new String[0]);

    assertThat(o.phases()).isEqualTo(EnumSet.complementOf(EnumSet.of(Phase.STALL)));
    assertThat(o.listeners()).isEqualTo(500);
    assertThat(o.stallSeconds()).isEqualTo(60);
    assertThat(o.calls()).isEqualTo(1);
    assertThat(o.interruptWarmup()).isZero();
  }

  @Test
  void interruptWarmupIsACountFromZero() {
    assertThat(MediaOptions.parse(new String[] {"--interrupt-warmup", "20000"}).interruptWarmup())
        .isEqualTo(20_000);
    assertThatThrownBy(() -> MediaOptions.parse(new String[] {"--interrupt-warmup", "-1"}))
        .hasMessageContaining("--interrupt-warmup: -1 out of range");
  }

  @Test
  void quickRunsEveryPhaseBrieflyAndLaterOptionsStillApply() {
    MediaOptions o = MediaOptions.parse(new String[] {"--quick", "--listeners", "7"});

    assertThat(o.phases()).isEqualTo(EnumSet.allOf(Phase.class));
    assertThat(o.seconds()).isEqualTo(3);
    assertThat(o.listeners()).isEqualTo(7);
  }

  @Test
  void manyCallsEchoByDefaultOrPlayAWavAndNothingElse() {
    assertThat(MediaOptions.parse(new String[0]).manyAudio())
        .isEqualTo(MediaOptions.ManyAudio.ECHO);
    assertThat(MediaOptions.parse(new String[] {"--many-audio", "Play"}).manyAudio())
        .isEqualTo(MediaOptions.ManyAudio.PLAY);
    assertThatThrownBy(() -> MediaOptions.parse(new String[] {"--many-audio", "sing"}))
        .hasMessageContaining("--many-audio: unknown 'sing'; one of echo, play");
  }

  @Test
  void phasesAreNamedInAnyCase() {
    MediaOptions o = MediaOptions.parse(new String[] {"--phases", "Stall,inbound"});

    assertThat(o.phases()).containsExactlyInAnyOrder(Phase.STALL, Phase.INBOUND);
  }

  @Test
  void manyCallsAreAcceptedUpToTheLimitAndNoMore() {
    assertThat(MediaOptions.parse(new String[] {"--calls", "500"}).calls()).isEqualTo(500);
    assertThatThrownBy(() -> MediaOptions.parse(new String[] {"--calls", "5001"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--calls: 5001 out of range");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> MediaOptions.parse(new String[] {"--phases", "talk"}))
        .hasMessageContaining("unknown phase 'talk'");
    assertThatThrownBy(() -> MediaOptions.parse(new String[] {"--stall-window", "100"}))
        .hasMessageContaining("--stall-window: 100 out of range");
    assertThatThrownBy(() -> MediaOptions.parse(new String[] {"--seconds"}))
        .hasMessageContaining("--seconds: missing value");
  }
}

package org.sipline.benchmarks.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pacer's scheduling and the flood as the harness takes them from its command line. */
class PacingOptionsTest {
  @Test
  void thePacerRunsAsTheProductDecidesUnlessToldOtherwise() {
    assertThat(PacingOptions.parse(new String[0]).realtime()).isEqualTo("default");
    assertThat(PacingOptions.parse(new String[] {"--realtime", "off"}).realtime()).isEqualTo("off");
    assertThat(PacingOptions.parse(new String[] {"--realtime", "50"}).realtime()).isEqualTo("50");
  }

  @Test
  void aRealtimeValueOtherThanDefaultOffOrOneToNinetyNineIsRefusedByValue() {
    assertThatThrownBy(() -> PacingOptions.parse(new String[] {"--realtime", "100"}))
        .hasMessage("--realtime: 100 out of range 1..99");
    assertThatThrownBy(() -> PacingOptions.parse(new String[] {"--realtime", "fifo"}))
        .hasMessage("--realtime: not a whole number: 'fifo'");
  }

  @Test
  void aFloodNeedsSiplineCallsOnTheLineStack() {
    assertThat(PacingOptions.parse(new String[] {"--flood", "5000"}).floodRate()).isEqualTo(5000);
    assertThatThrownBy(
            () -> PacingOptions.parse(new String[] {"--flood", "100", "--stack", "media"}))
        .hasMessageStartingWith("--flood needs --stack line");
    assertThatThrownBy(
            () -> PacingOptions.parse(new String[] {"--flood", "100", "--calls", "0,10"}))
        .hasMessageStartingWith("--flood needs sipline calls");
  }

  @Test
  void metricsModesAreMeasuredInTheOrderGivenAndLabelTheirWindows() {
    PacingOptions none = PacingOptions.parse(new String[0]);
    assertThat(none.metrics()).isEmpty();
    assertThat(PacingOptions.condition(PhaseResult.IDLE, null)).isEqualTo("idle");
    assertThat(PacingOptions.parse(new String[] {"--metrics", "on,off"}).metrics())
        .containsExactly("on", "off");
    assertThat(PacingOptions.condition(PhaseResult.IDLE, "on")).isEqualTo("idle, metrics on");
    assertThatThrownBy(() -> PacingOptions.parse(new String[] {"--metrics", "on,on"}))
        .hasMessage("--metrics: on given twice: 'on,on'");
    assertThatThrownBy(() -> PacingOptions.parse(new String[] {"--metrics", "yes"}))
        .hasMessage("--metrics: want one of on, off: 'yes'");
    assertThatThrownBy(
            () -> PacingOptions.parse(new String[] {"--metrics", "on", "--stack", "media"}))
        .hasMessageStartingWith("--metrics on needs --stack line");
  }

  @Test
  void theLoadProcessTakesTheMetricsModeOnlyForTheLineStack() {
    String[] line = {
      "--stack",
      "line",
      "--calls",
      "1",
      "--registrar",
      "r",
      "--callee",
      "c",
      "--wav",
      "w",
      "--result",
      "x",
      "--metrics",
      "on"
    };
    assertThat(LoadArgs.parse(line).metrics()).isTrue();
    String[] media = {
      "--stack",
      "media",
      "--calls",
      "1",
      "--sink-port",
      "9",
      "--wav",
      "w",
      "--result",
      "x",
      "--metrics",
      "on"
    };
    assertThatThrownBy(() -> LoadArgs.parse(media))
        .hasMessageStartingWith("--metrics on needs --stack line");
  }

  @Test
  void thePolicyIsReadFromTheKernelsStatLineWhateverTheThreadsName() {
    // proc(5) fields 3..52 after "(name)"; field 40 rt_priority = 10, field 41 policy = 1.
    String fifo = "4242 (sipline-rtp (p)) S" + " 0".repeat(36) + " 10 1" + " 0".repeat(11);
    assertThat(PacerPolicy.describe(fifo)).isEqualTo("FIFO 10");
    String other = "4243 (sipline-rtp-pac) S" + " 0".repeat(36) + " 0 0" + " 0".repeat(11);
    assertThat(PacerPolicy.describe(other)).isEqualTo("OTHER");
  }

  @Test
  void thisThreadsPolicyIsReadFromProc() throws Exception {
    long pid = ProcessHandle.current().pid();
    assertThat(PacerPolicy.read(pid, pid))
        .as("the main thread of a test JVM")
        .isIn("OTHER", "BATCH", "IDLE");
  }
}

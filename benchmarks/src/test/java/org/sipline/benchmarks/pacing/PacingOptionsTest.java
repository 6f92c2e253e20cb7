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
        .hasMessage("--metrics: want one of on, off, noscrape, hook: 'yes'");
    assertThat(PacingOptions.parse(new String[] {"--metrics", "hook,noscrape,off"}).metrics())
        .containsExactly("hook", "noscrape", "off");
    assertThatThrownBy(
            () -> PacingOptions.parse(new String[] {"--metrics", "on", "--stack", "media"}))
        .hasMessageStartingWith("--metrics on needs --stack line");
  }

  @Test
  void codecsAndSrtpModesAreListsMeasuredInTurnAndLabelledOnlyWhenAsked() {
    PacingOptions plain = PacingOptions.parse(new String[0]);
    assertThat(plain.codecs()).containsExactly("pcmu");
    assertThat(plain.srtp()).containsExactly("off");
    assertThat(plain.labelsMedia()).isFalse();
    PacingOptions mixed =
        PacingOptions.parse(new String[] {"--codec", "pcmu,g722", "--srtp", "off,require"});
    assertThat(mixed.codecs()).containsExactly("pcmu", "g722");
    assertThat(mixed.srtp()).containsExactly("off", "require");
    assertThat(mixed.labelsMedia()).isTrue();
    assertThat(PacingOptions.condition(PhaseResult.IDLE, null, "pcmu srtp"))
        .isEqualTo("idle, pcmu srtp");
    assertThat(PacingOptions.condition(PhaseResult.IDLE, "off", "g722"))
        .isEqualTo("idle, metrics off, g722");
    assertThatThrownBy(() -> PacingOptions.parse(new String[] {"--codec", "g729"}))
        .hasMessage("--codec: want one of pcmu, pcma, g722, opus: 'g729'");
    assertThatThrownBy(() -> PacingOptions.parse(new String[] {"--srtp", "offer"}))
        .hasMessage("--srtp: want one of off, require: 'offer'");
    assertThatThrownBy(() -> PacingOptions.parse(new String[] {"--codec", "opus,opus"}))
        .hasMessage("--codec: opus given twice: 'opus,opus'");
    assertThatThrownBy(
            () -> PacingOptions.parse(new String[] {"--codec", "g722", "--stack", "media"}))
        .hasMessageStartingWith("--codec and --srtp need --stack line");
    assertThatThrownBy(
            () -> PacingOptions.parse(new String[] {"--srtp", "require", "--stack", "media"}))
        .hasMessageStartingWith("--codec and --srtp need --stack line");
  }

  @Test
  void theLoadProcessTakesItsCodecAndSrtpOnlyForTheLineStack() {
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
      "--codec",
      "opus",
      "--srtp",
      "require"
    };
    LoadArgs a = LoadArgs.parse(line);
    assertThat(a.codec()).isEqualTo("opus");
    assertThat(a.srtp()).isEqualTo("require");
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
      "--codec",
      "g722"
    };
    assertThatThrownBy(() -> LoadArgs.parse(media))
        .hasMessageStartingWith("--codec and --srtp need --stack line");
    String[] bad = line.clone();
    bad[bad.length - 1] = "offer";
    assertThatThrownBy(() -> LoadArgs.parse(bad))
        .hasMessage("--srtp must be off or require: offer");
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
    assertThat(LoadArgs.parse(line).metrics()).isEqualTo("on");
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

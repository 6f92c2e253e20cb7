package org.sipline.benchmarks.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.benchmarks.harness.BaresipPeer;

/**
 * The CI quick mode of the pacing harness: ten real SIP calls of core lines on the jainsip backend
 * (SIPp as registrar and callee) for a few seconds, baresip beside them when it is installed, timed
 * by tshark when it may capture (else by the sinks). It proves that every part still works together
 * (load process, peers, capture, analysis, report); no figure is compared with anything, so a
 * loaded machine cannot fail it.
 */
class PacingHarnessQuickTest {
  private static final int CALLS = 10;

  @Test
  void tenCallsAreCapturedAnalysedAndReported(@TempDir Path out) throws Exception {
    boolean baresip = BaresipPeer.installed();
    PacingOptions options =
        PacingOptions.parse(
            new String[] {
              "--stack",
              "line",
              "--calls",
              Integer.toString(CALLS),
              "--runs",
              "1",
              "--warmup",
              "1",
              "--seconds",
              "3",
              "--capture",
              "auto",
              "--baresip",
              Boolean.toString(baresip),
              "--jvm",
              "-XX:+UseZGC -Xmx256m",
              "--out",
              out.toString()
            });
    List<PhaseResult> results = new ArrayList<>();

    List<String> failures = PacingMain.run(options, results);

    assertThat(failures).isEmpty();
    assertThat(results).hasSize(1);
    PhaseResult r = results.get(0);
    assertThat(r.load().connected()).isEqualTo(CALLS);
    assertThat(r.sipline().streams()).isEqualTo(CALLS);
    assertThat(r.sipline().intervals()).isPositive();
    assertThat(r.sipline().p99()).isNotNegative();
    assertThat(r.gcInWindow()).isNotNull();
    if (baresip) {
      assertThat(r.baresip().streams()).isEqualTo(1);
      assertThat(r.baresip().intervals()).isPositive();
    }
    assertThat(Files.readAllLines(out.resolve("results.tsv"))).hasSize(baresip ? 3 : 2);
    assertThat(Files.readString(out.resolve("summary.md"))).contains("| " + CALLS + " | sipline");
  }

  /**
   * The codec and SRTP switches reach the calls: two SRTP G.722 calls, and the capture finds
   * payload type 9 in 182-byte datagrams (12 + 160 + the 10-byte SRTP tag). Were either switch
   * ignored, the packets would be PCMU or 172 bytes and the phase would fail naming that.
   */
  @Test
  void srtpG722CallsSendG722WithTheSrtpTag(@TempDir Path out) throws Exception {
    PacingOptions options =
        PacingOptions.parse(
            new String[] {
              "--calls", "2",
              "--runs", "1",
              "--warmup", "1",
              "--seconds", "2",
              "--capture", "auto",
              "--baresip", "false",
              "--codec", "g722",
              "--srtp", "require",
              "--jvm", "-XX:+UseZGC -Xmx256m",
              "--out", out.toString()
            });
    List<PhaseResult> results = new ArrayList<>();

    List<String> failures = PacingMain.run(options, results);

    assertThat(failures).isEmpty();
    assertThat(results).hasSize(1);
    PhaseResult r = results.get(0);
    assertThat(r.condition()).isEqualTo("idle, g722 srtp");
    assertThat(r.sipline().streams()).isEqualTo(2);
    assertThat(r.wire()).isEqualTo("PT 9, 182 bytes");
    assertThat(out.resolve("run-1").resolve("calls-2-g722-srtp")).isDirectory();
  }
}

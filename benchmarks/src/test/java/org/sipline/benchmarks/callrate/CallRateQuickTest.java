package org.sipline.benchmarks.callrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI quick mode of the call-rate harness: the real server jar, Kamailio and SIPp, 3 s at 20
 * calls per second in and 20 out, each call held 2 s. Every call must be set up and torn down, and
 * every count is checked exactly; no time is compared with anything, so a loaded machine cannot
 * fail it (a call that cannot be set up within SIPp's 32 s would).
 */
class CallRateQuickTest {
  private static final int RATE = 20;
  private static final int SECONDS = 3;

  @Test
  void twentyCallsPerSecondInAndOutAllSetUpAndTornDown(@TempDir Path out) throws Exception {
    Path jar = Path.of(System.getProperty("sipline.server.jar", "../server/target/sipline.jar"));
    CallRateOptions options =
        CallRateOptions.parse(
            new String[] {
              "--rates",
              Integer.toString(RATE),
              "--seconds",
              Integer.toString(SECONDS),
              "--warmup-seconds",
              "0",
              "--hold-ms",
              "2000",
              "--server-jar",
              jar.toString(),
              "--out",
              out.toString()
            });

    List<CallRateStep> steps = CallRateMain.run(options);

    int calls = RATE * SECONDS;
    assertThat(steps).hasSize(1);
    CallRateStep s = steps.get(0);
    assertThat(s.calls()).isEqualTo(calls);
    // In: SIPp saw every call answered and its BYE answered; each rang one line, which finished it.
    assertThat(s.sippExit()).as("SIPp's exit code").isZero();
    assertThat(s.inEnded()).isEqualTo(calls);
    assertThat(s.inAnswerMicros()).hasSize(calls);
    assertThat(s.inInitiated()).isEqualTo(calls);
    assertThat(s.inFinished()).isEqualTo(calls);
    assertThat(s.inFailed()).isZero();
    // Out: every SipStartCall placed its call, each connected and finished by the callee's BYE.
    assertThat(s.outNoLine()).as("calls without a free line").isZero();
    assertThat(s.outRefused()).isZero();
    assertThat(s.outPlaced()).isEqualTo(calls);
    assertThat(s.outConnected()).isEqualTo(calls);
    assertThat(s.outFinished()).isEqualTo(calls);
    assertThat(s.outFailed()).isZero();
    assertThat(s.outConnectMicros()).hasSize(calls);
    assertThat(Arrays.stream(s.outConnectMicros()).min().orElseThrow()).isPositive();
    assertThat(s.gaps()).isZero();
    assertThat(s.clean()).isTrue();
    assertThat(Files.readString(out.resolve("summary.md")))
        .contains("| 20 + 20 | 60 | 0 | 0 |", "no failed call at any rate");
  }
}

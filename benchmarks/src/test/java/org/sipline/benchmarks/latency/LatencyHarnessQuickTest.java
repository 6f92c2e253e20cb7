package org.sipline.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.benchmarks.harness.TsharkCapture;

/**
 * The CI quick mode of the latency harness: a few requests of each kind against the real server
 * jar, the jainsip backend and SIPp peers. It proves that every request's wire event is found in
 * the capture; no delay is compared with anything, so a loaded machine cannot fail it. The wire
 * events can only be seen by tshark: where it may not capture, the test is skipped, saying why.
 */
class LatencyHarnessQuickTest {
  private static final int SAMPLES = 5;

  @Test
  void everyRequestIsMatchedWithTheWireEventItCaused(@TempDir Path out) throws Exception {
    String noCapture = TsharkCapture.unavailableReason();
    assumeTrue(noCapture == null, () -> "latency needs tshark on lo: " + noCapture);
    Path jar = Path.of(System.getProperty("sipline.server.jar", "../server/target/sipline.jar"));
    LatencyOptions options =
        LatencyOptions.parse(
            new String[] {
              "--samples",
              Integer.toString(SAMPLES),
              "--warmup",
              "1",
              "--status-samples",
              "20",
              "--status-warmup",
              "20",
              "--server-jar",
              jar.toString(),
              "--out",
              out.toString()
            });

    LatencyResult r = LatencyMain.run(options);

    // -1 marks a request whose wire event was not found.
    assertThat(r.startCallToInvite()).hasSize(SAMPLES).doesNotContain(-1L);
    // Every incoming call rang and was answered (auto-answer 0), the 180 before the 200.
    assertThat(r.inviteToRinging()).hasSize(SAMPLES);
    assertThat(r.inviteToAnswer()).hasSize(SAMPLES);
    assertThat(Arrays.stream(r.inviteToRinging()).min().orElseThrow()).isPositive();
    assertThat(Arrays.stream(r.inviteToAnswer()).min().orElseThrow()).isPositive();
    assertThat(r.playToAudio()).hasSize(SAMPLES).doesNotContain(-1L);
    assertThat(r.muteToSilence()).hasSize(SAMPLES).doesNotContain(-1L);
    // Timed from the request's arrival at the server, which comes after the client's send.
    assertThat(r.playInToAudio()).hasSize(SAMPLES).doesNotContain(-1L);
    assertThat(r.muteInToSilence()).hasSize(SAMPLES).doesNotContain(-1L);
    for (int i = 0; i < SAMPLES; i++) {
      assertThat(r.playInToAudio()[i]).isPositive().isLessThanOrEqualTo(r.playToAudio()[i]);
      assertThat(r.muteInToSilence()[i]).isPositive().isLessThanOrEqualTo(r.muteToSilence()[i]);
    }
    assertThat(r.statusRoundTrip()).hasSize(20);
    assertThat(Arrays.stream(r.statusRoundTrip()).min().orElseThrow()).isPositive();
    assertThat(r.healthRoundTrip()).hasSize(20);
    assertThat(Files.readString(out.resolve("summary.md")))
        .contains("SipMute → first silent", "incoming INVITE → 200");
  }
}

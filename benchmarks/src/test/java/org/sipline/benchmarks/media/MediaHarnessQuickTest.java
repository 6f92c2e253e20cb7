package org.sipline.benchmarks.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.benchmarks.harness.TsharkCapture;

/**
 * The media harness's quick mode ({@code --quick}): every phase with a few samples against the real
 * server jar, SIPp and tshark, proving that every event is matched with its packet and every figure
 * is produced; no delay is compared with anything. It takes one to two minutes, so it is not part
 * of the default build: run it with {@code -Dsipline.benchmarks.media=quick}.
 */
@EnabledIfSystemProperty(named = "sipline.benchmarks.media", matches = "quick")
class MediaHarnessQuickTest {
  private static final String[] DELAYS = {
    "inbound_1",
    "inbound_bidirectional",
    "inbound_listen_all",
    "first_audio",
    "mark_delay",
    "clear_effect",
    "clear_silent",
    "interrupt_effect",
    "interrupt_silent",
    "dtmf_start",
    "dtmf_end"
  };

  @Test
  void everyPhaseMatchesEveryEventWithItsPacket(@TempDir Path out) throws Exception {
    String noCapture = TsharkCapture.unavailableReason();
    assumeTrue(noCapture == null, () -> "the media harness needs tshark on lo: " + noCapture);
    Path jar = Path.of(System.getProperty("sipline.server.jar", "../server/target/sipline.jar"));
    MediaOptions options =
        MediaOptions.parse(
            new String[] {"--quick", "--server-jar", jar.toString(), "--out", out.toString()});

    MediaResult r = MediaMain.run(options);

    for (String key : DELAYS) {
      // -1 marks an event whose packet was not found.
      assertThat(r.samples(key)).as(key).isNotEmpty().doesNotContain(-1L);
    }
    assertThat(r.value("marks_position_exact")).isEqualTo(r.value("marks"));
    assertThat(r.value("dtmf_ends")).isEqualTo(r.value("dtmf_sent"));
    assertThat(r.value("dtmf_wrong_digit")).isEqualTo("0");
    assertThat(Double.parseDouble(r.value("bytes_tcp_payload_per_frame"))).isPositive();
    assertThat(r.value("stall_line_status_after")).isEqualTo("OUTGOING_CALL_CONNECTED");
    assertThat(Files.readString(out.resolve("summary.md"))).contains("Dtmf START");
  }
}

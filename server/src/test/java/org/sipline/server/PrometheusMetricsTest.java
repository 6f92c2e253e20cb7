package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.testing.FakeScript;

/**
 * Issue 14 item 3: Debian's real Prometheus scrapes sipline's {@code /metrics} while calls are
 * placed, and the counters are read back through Prometheus' HTTP API; {@code promtool check
 * metrics} accepts the exposition.
 */
class PrometheusMetricsTest {
  private static final Duration SCRAPED = Duration.ofSeconds(60);

  @TempDir Path dir;

  private RunningServer running;
  private PrometheusServer prometheus;

  @AfterEach
  void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (running != null) {
      running.close();
    }
  }

  private String scrape() throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + running.server.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains(MetricsEndpoint.CONTENT_TYPE);
    return r.body();
  }

  /** Places one answered call (hung up by us after a moment) and one the far end refuses. */
  private void placeCalls() {
    running.backend.script("busy", FakeScript.reject(486, "Busy Here"));
    running.connectCall();
    running.sip().sipEndCall(SipEndCallRequest.newBuilder().setHardHangup(false).build());
    running.awaitStatus(StatusType.OUTGOING_CALL_FINISHED);
    running.sip().sipStartCall(SipStartCallRequest.newBuilder().setCalleeId("busy").build());
    running.awaitStatus(StatusType.OUTGOING_CALL_FAILED);
    running.sip().sipGetSipStatus(Empty.getDefaultInstance());
  }

  @Test
  void prometheusScrapesCallCountersAndPromtoolAcceptsTheExposition() throws Exception {
    running = RunningServer.start(b -> b.metricsAddress("127.0.0.1").metricsPort(0));
    placeCalls();

    String exposition = scrape();
    assertThat(exposition)
        .contains("sipline_calls_started_total{direction=\"outgoing\"} 2.0")
        .contains("sipline_calls_failed_total{direction=\"outgoing\",sip_code=\"486\"} 1.0")
        .contains("jvm_memory_used_bytes")
        .contains("process_cpu_usage")
        .contains("process_cpu_seconds_total")
        .doesNotContain("bob@example.org")
        .doesNotContain("alice");
    Path file = Files.writeString(dir.resolve("metrics.txt"), exposition);
    Process promtool =
        new ProcessBuilder(PrometheusServer.executable("promtool").toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as("promtool check metrics: %s", verdict).isZero();

    prometheus = new PrometheusServer(dir, "127.0.0.1:" + running.server.metricsPort());
    assertScraped("up{job=\"sipline\"}", 1);
    assertScraped("sipline_calls_started_total{direction=\"outgoing\"}", 2);
    assertScraped("sipline_calls_answered_total{direction=\"outgoing\"}", 1);
    assertScraped("sipline_calls_failed_total{direction=\"outgoing\",sip_code=\"486\"}", 1);
    assertScraped("sipline_call_duration_seconds_count{direction=\"outgoing\"}", 1);
    assertScraped("sipline_registrations_total", 1);
    assertScraped("sipline_active_calls", 0);
    assertScraped("sipline_lines{state=\"ready\"}", 1);
    assertScraped(
        "sipline_grpc_server_requests_seconds_count{method=\"ondewo.sip.Sip/SipStartCall\","
            + "code=\"OK\"}",
        2);

    // A call placed now shows up in the next scrapes.
    running.sip().sipStartCall(SipStartCallRequest.newBuilder().setCalleeId("busy").build());
    assertScraped("sipline_calls_failed_total{direction=\"outgoing\",sip_code=\"486\"}", 2);
    assertScraped("sipline_calls_started_total{direction=\"outgoing\"}", 3);
  }

  private void assertScraped(String query, double expected) {
    await()
        .atMost(SCRAPED)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> prometheus.value(query), v -> v != null && v == expected);
  }

  @Test
  void withoutMetricsPortThereIsNoEndpoint() throws Exception {
    running = RunningServer.start();
    assertThat(running.server.metricsPort()).isEqualTo(-1);
    assertThat(List.of(running.sip().sipGetSipStatus(Empty.getDefaultInstance()).getStatusType()))
        .containsExactly(StatusType.NO_SESSION);
  }
}

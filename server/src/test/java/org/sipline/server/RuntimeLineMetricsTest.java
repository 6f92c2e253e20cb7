package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.lines.v1.CreateLineRequest;
import org.sipline.api.lines.v1.DeleteLineRequest;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;

/**
 * Issue 13: lines CreateLine adds at runtime appear in {@code sipline_lines} by state and their
 * calls are counted; lines DeleteLine removes leave the gauge, and a call a forced delete hangs up
 * is counted to its end.
 */
class RuntimeLineMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private RunningServer running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void linesCreatedAndDeletedAtRuntimeAreCountedAndTheirCallsWithThem() throws Exception {
    running = RunningServer.start(b -> b.metricsAddress("127.0.0.1").metricsPort(0));
    awaitMetric("sipline_lines{state=\"no_session\"}", 1);

    lines().createLine(CreateLineRequest.newBuilder().setName("extra").build());
    lines().createLine(CreateLineRequest.newBuilder().setName("idle").build());
    awaitMetric("sipline_lines{state=\"no_session\"}", 3);

    // A call on the created line is counted, and so is the line's state.
    SipGrpc.SipBlockingStub extra = onLine("extra");
    extra.sipRegisterAccount(
        SipRegisterAccountRequest.newBuilder().setAccountName("alice@example.org").build());
    extra.sipStartSession(
        SipStartSessionRequest.newBuilder().setAccountName("alice@example.org").build());
    extra.sipStartCall(SipStartCallRequest.newBuilder().setCalleeId("bob@example.org").build());
    awaitMetric("sipline_lines{state=\"outgoing_call_connected\"}", 1);
    awaitMetric("sipline_lines{state=\"no_session\"}", 2);
    awaitMetric("sipline_active_calls", 1);
    awaitMetric("sipline_calls_started_total{direction=\"outgoing\"}", 1);
    awaitMetric("sipline_calls_answered_total{direction=\"outgoing\"}", 1);
    awaitMetric("sipline_registrations_total", 1);

    // Deleted idle: gone from the gauge at once.
    lines().deleteLine(DeleteLineRequest.newBuilder().setName("idle").build());
    awaitMetric("sipline_lines{state=\"no_session\"}", 1);

    // Deleted with its call: gone from the gauge, its call hung up and counted as finished.
    lines().deleteLine(DeleteLineRequest.newBuilder().setName("extra").setForce(true).build());
    awaitMetric("sipline_lines{state=\"outgoing_call_connected\"}", 0);
    awaitMetric("sipline_lines{state=\"no_session\"}", 1);
    awaitMetric("sipline_active_calls", 0);
    awaitMetric("sipline_calls_finished_total{direction=\"outgoing\"}", 1);
    awaitMetric("sipline_call_duration_seconds_count{direction=\"outgoing\"}", 1);

    // A line created again under the old name starts afresh, counted once.
    lines().createLine(CreateLineRequest.newBuilder().setName("extra").build());
    awaitMetric("sipline_lines{state=\"no_session\"}", 2);
    assertThat(sumOfLines()).isEqualTo(2);
  }

  private LinesGrpc.LinesBlockingStub lines() {
    return LinesGrpc.newBlockingStub(running.channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private SipGrpc.SipBlockingStub onLine(String name) {
    Metadata h = new Metadata();
    h.put(LineRouting.LINE_HEADER, name);
    return running.sip().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
  }

  private void awaitMetric(String series, double expected) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> value(scrape(), series), v -> v != null && v == expected);
  }

  /** Every line in sipline_lines, over all states. */
  private double sumOfLines() throws Exception {
    double sum = 0;
    for (String line : scrape().split("\n")) {
      if (line.startsWith("sipline_lines{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The value of one series in the exposition, or null when it is not there. */
  private static Double value(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return null;
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
    return r.body();
  }
}

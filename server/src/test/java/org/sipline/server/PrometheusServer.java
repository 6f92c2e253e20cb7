package org.sipline.server;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sipline.testing.peers.FreePorts;

/**
 * Debian's {@code prometheus} (package prometheus) on a loopback port, scraping one target every
 * second, its data in a directory of the test's. Stopped by its PID (SIGTERM, then SIGKILL).
 */
final class PrometheusServer implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  PrometheusServer(Path dir, String target) throws IOException {
    port = FreePorts.tcpPort();
    Path config =
        Files.writeString(
            dir.resolve("prometheus.yml"),
            "global:\n"
                + "  scrape_interval: 1s\n"
                + "  scrape_timeout: 1s\n"
                + "scrape_configs:\n"
                + "  - job_name: sipline\n"
                + "    static_configs:\n"
                + "      - targets: ['"
                + target
                + "']\n");
    log = dir.resolve("prometheus.log");
    process =
        new ProcessBuilder(
                List.of(
                    executable("prometheus").toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  /** The absolute path of a program of Debian's prometheus package. */
  static Path executable(String name) {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        name + " not found; install the Debian package prometheus (scripts/test-all.sh does)");
  }

  /**
   * The value of the one series {@code query} selects, or null while Prometheus has none (not
   * scraped yet, or not up yet).
   */
  Double value(String query) throws InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("prometheus exited; see " + log);
    }
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/api/v1/query?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(2))
            .build();
    String body;
    try {
      body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return null; // not listening yet
    }
    // {"status":"success","data":{"resultType":"vector","result":[{"metric":{..},"value":[t,"2"]}]}}
    var m = java.util.regex.Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(body);
    if (!m.find()) {
      return null;
    }
    double v = Double.parseDouble(m.group(1));
    if (m.find()) {
      throw new IllegalStateException(query + " selects more than one series: " + body);
    }
    return v;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

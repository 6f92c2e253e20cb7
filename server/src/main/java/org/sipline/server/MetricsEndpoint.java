package org.sipline.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} in Prometheus' text format on a port of its own ({@code
 * --metrics-address}, {@code --metrics-port}), with the JDK's HTTP server on one thread: a scrape
 * every few seconds needs no more, and it keeps the endpoint off gRPC's event loops.
 */
final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer http;
  private final ExecutorService thread;

  /**
   * @throws InvalidConfigException naming {@code --metrics-port} when the address cannot be bound
   */
  MetricsEndpoint(String address, int port, SiplineMetrics metrics) {
    try {
      http = HttpServer.create(new InetSocketAddress(address, port), 16);
    } catch (IOException e) {
      throw new InvalidConfigException(
          "--metrics-port", address + ":" + port + " cannot be bound (" + e.getMessage() + ")");
    }
    http.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())
                && !"HEAD".equals(exchange.getRequestMethod())) {
              exchange.getResponseHeaders().add("Allow", "GET, HEAD");
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", CONTENT_TYPE);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            }
          }
        });
    thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sipline-metrics-http");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(thread);
    http.start();
    log.info("Prometheus metrics on http://{}:{}/metrics", address, port());
  }

  int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    thread.shutdownNow();
  }
}

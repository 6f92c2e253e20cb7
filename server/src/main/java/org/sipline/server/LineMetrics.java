package org.sipline.server;

import org.sipline.core.Line;
import org.sipline.core.records.CallRecordSink;
import org.sipline.core.spi.BackendObserver;

/**
 * The server's Prometheus meters for a program that runs core {@link Line}s itself instead of
 * through the server: the same meters {@code --metrics-port} binds (lines by state, calls, call
 * duration, registrations, the RTP series, the pacer's lateness, JVM and process), fed through the
 * same three hooks the server uses: the backend's observer, each call's record, each line's status
 * stream. It exists so that the pacing benchmark measures what the metrics cost on the media path
 * with exactly the server's meters (issue 14); the gRPC meters ({@code GrpcMetrics}) are left out,
 * since such a program serves no gRPC.
 */
public final class LineMetrics implements AutoCloseable {
  private final SiplineMetrics metrics = new SiplineMetrics();

  // Guarded by this; made with the first line (the lines' registry needs one).
  private ServedLines lines;

  private LineMetrics() {}

  /**
   * Binds a new registry's meters.
   *
   * @return meters no line reports into yet
   */
  public static LineMetrics create() {
    return new LineMetrics();
  }

  /**
   * What the backend reports into these meters; give it to the backend's configuration ({@code
   * BackendConfig.Builder.observer}).
   *
   * @return the pacer's lateness and refused strangers, as the server counts them
   */
  public BackendObserver backendObserver() {
    return metrics.backendObserver();
  }

  /**
   * Where each line's call records go to be counted; give it to the lines' configuration ({@code
   * LineConfig.Builder.callRecords}).
   *
   * @return the RTP series' sink
   */
  public CallRecordSink callRecords() {
    return metrics.callRecords();
  }

  /**
   * Counts {@code line} from now on under {@code name}, as the server counts a line it serves.
   *
   * @param name the line's name, unique among those added
   * @param line the line
   * @throws IllegalArgumentException when a line of that name was added before
   */
  public synchronized void add(String name, Line line) {
    if (lines == null) {
      lines = ServedLines.of(name, line);
      metrics.watch(lines);
    } else if (!lines.add(name, line)) {
      throw new IllegalArgumentException("a line named '" + name + "' was added before");
    }
  }

  /**
   * The exposition, as {@code /metrics} serves it: what a Prometheus scrape costs the process.
   *
   * @return Prometheus' text format
   */
  public String scrape() {
    return metrics.scrape();
  }

  /** Unhooks the lines' watches and closes the registry. */
  @Override
  public void close() {
    metrics.close();
  }
}

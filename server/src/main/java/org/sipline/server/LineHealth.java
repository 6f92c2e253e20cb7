package org.sipline.server;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.sipline.core.Line;
import org.sipline.core.LineStatus;

/**
 * Publishes the line's registration as the health of service {@value #SERVICE}: SERVING while the
 * active session's account is registered, NOT_SERVING otherwise. The server as a whole ("") is
 * SERVING from start until shutdown. Re-evaluated on every status the line records.
 */
final class LineHealth implements AutoCloseable {
  /** The health service name an orchestrator asks for to know whether calls can be placed. */
  static final String SERVICE = "sipline.Line";

  private final HealthStatusManager health;
  private final Line line;
  private final AutoCloseable watch;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  LineHealth(HealthStatusManager health, Line line) {
    this.health = health;
    this.line = line;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    update(line.status());
    this.watch = line.watch(this::update);
  }

  private void update(LineStatus ignored) {
    health.setStatus(
        SERVICE, line.isRegistered() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  /**
   * Stops following the line and reports NOT_SERVING for everything from now on. Idempotent:
   * draining closes it first, stopping again.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      watch.close();
    } catch (Exception e) {
      // Stopping a watch only unhooks a listener; nothing to report.
    }
    health.enterTerminalState();
  }
}

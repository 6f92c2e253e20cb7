package org.sipline.server;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs a server for the command line: config, logs, start, and the SIGTERM hook that drains (no new
 * calls, ongoing ones may finish up to --drain-timeout), hangs up, un-registers and lets the
 * process exit within a bound.
 */
final class Serving {
  private static final Logger log = LoggerFactory.getLogger(Serving.class);

  /** On top of the hangup bound: gRPC drain, closing line and backend. */
  private static final Duration STOP_MARGIN = Duration.ofMillis(1500);

  private Serving() {}

  /**
   * Serves until stopped.
   *
   * @return the exit code: 0 after a normal stop, 1 when the server could not start
   */
  static int run(ServeOptions options, CommandSpec spec) {
    ServerConfig config;
    try {
      config = options.toConfig();
    } catch (InvalidConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    LogSetup.configure(config.logLevel(), config.logFormat());
    SiplineServer server;
    try {
      server = SiplineServer.start(config);
    } catch (InvalidConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      log.error("sipline could not start: {}", e.toString(), e);
      return 1;
    }
    // Draining may take the drain timeout, its hangups and un-REGISTERs the hangup timeout, and
    // the stop after it the hangup timeout again (nothing is left to hang up by then).
    Duration budget =
        config.drainTimeout().plus(config.hangupTimeout().multipliedBy(2)).plus(STOP_MARGIN);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stopWithin(server, budget), "sipline-shutdown"));
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Stops the server on a thread of its own; if that takes longer than {@code budget}, the process
   * is halted anyway, because an orchestrator sending SIGTERM waits only so long before SIGKILL.
   */
  private static void stopWithin(SiplineServer server, Duration budget) {
    Thread stopper = new Thread(server::drainAndStop, "sipline-stop");
    stopper.start();
    try {
      stopper.join(budget.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopper.isAlive()) {
      log.error("Stopping took longer than {}; exiting without waiting further", budget);
      Runtime.getRuntime().halt(1);
    }
  }
}

package org.sipline.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.sipline.core.AlreadyExistsException;
import org.sipline.core.FailedPreconditionException;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.Line;
import org.sipline.core.LineRuntime;
import org.sipline.core.Switchboard;
import org.sipline.core.records.CallRecordSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changes the set of lines or the process's willingness to take calls: CreateLine, DeleteLine
 * and draining (the Drain rpc and SIGTERM). Failures are the core's exceptions, which {@link
 * GrpcErrors} maps.
 */
final class LineManager {
  private static final Logger log = LoggerFactory.getLogger(LineManager.class);

  /** What a drain did. */
  record DrainOutcome(int callsAtStart, int callsHungUp) {}

  private final ServerConfig config;
  private final Switchboard board;
  private final LineRuntime runtime;
  private final ServedLines lines;
  private final CallRecordSink records;
  private final Runnable healthDown;

  // Guarded by this.
  private CompletableFuture<DrainOutcome> drained;

  LineManager(
      ServerConfig config,
      Switchboard board,
      LineRuntime runtime,
      ServedLines lines,
      CallRecordSink records,
      Runnable healthDown) {
    this.config = config;
    this.board = board;
    this.runtime = runtime;
    this.lines = lines;
    this.records = records;
    this.healthDown = healthDown;
  }

  ServedLines lines() {
    return lines;
  }

  boolean isDraining() {
    return board.isDraining();
  }

  /** CreateLine: a new line without account, journaled beside --journal when there is one. */
  Line create(String name) {
    try {
      LineSpec.named(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("name", e.getMessage().replaceFirst("^name: ", ""));
    }
    if (board.isDraining()) {
      throw new FailedPreconditionException(
          lines.defaultLine().status().type(), "the server is draining; it takes no new lines");
    }
    if (lines.byName(name) != null) {
      throw new AlreadyExistsException("line '" + name + "' exists");
    }
    Line line = Line.open(board, SiplineServer.lineConfig(config, name, false, records), runtime);
    if (!lines.add(name, line)) {
      line.close();
      throw new AlreadyExistsException("line '" + name + "' exists");
    }
    log.info("Line '{}' created ({} lines)", name, lines.size());
    return line;
  }

  /**
   * DeleteLine: the session ended (BYE, un-REGISTER) within the hangup bound, then the line closed
   * and gone. A line with a call is refused unless {@code force}.
   */
  CompletableFuture<Line> delete(String name, boolean force) {
    Line line = lines.byName(name);
    if (line == null) {
      throw GrpcErrors.unknownLine(name, lines.names());
    }
    if (name.equals(lines.defaultName())) {
      throw new FailedPreconditionException(
          line.status().type(), "line '" + name + "' is the default line; it cannot be removed");
    }
    if (config.linePortBase() > 0 && lines.isConfigured(name)) {
      throw new FailedPreconditionException(
          line.status().type(),
          "line '" + name + "' has a gRPC port of its own (--line-ports); it cannot be removed");
    }
    if (line.inCall() && !force) {
      throw new FailedPreconditionException(
          line.status().type(),
          "line '" + name + "' has a call: end it first, or set force to hang it up");
    }
    if (lines.remove(name) == null) {
      throw GrpcErrors.unknownLine(name, lines.names());
    }
    return line.shutdown()
        .completeOnTimeout(null, config.hangupTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (v, e) -> {
              line.close();
              log.info("Line '{}' removed ({} lines)", name, lines.size());
              return line;
            });
  }

  /**
   * Drains: health NOT_SERVING, new INVITEs and OPTIONS 503, ongoing calls may go on up to {@code
   * timeout}, then every line hangs up (BYE) and un-REGISTERs. The lines take no commands after. A
   * second call returns the first one's future.
   */
  synchronized CompletableFuture<DrainOutcome> drain(Duration timeout) {
    if (drained != null) {
      return drained;
    }
    board.drain();
    healthDown.run();
    Map<String, Line> all = lines.snapshot();
    List<CompletableFuture<Void>> callsOver = new ArrayList<>();
    int busy = 0;
    for (Line line : all.values()) {
      if (line.inCall()) {
        busy++;
        callsOver.add(callOver(line));
      }
    }
    int atStart = busy;
    log.info(
        "Draining {} line(s): {} call(s) may go on for up to {}", all.size(), atStart, timeout);
    drained =
        CompletableFuture.allOf(callsOver.toArray(CompletableFuture[]::new))
            .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
            .thenCompose(
                v -> {
                  int hungUp = 0;
                  List<CompletableFuture<Void>> shutdowns = new ArrayList<>();
                  for (Map.Entry<String, Line> e : all.entrySet()) {
                    if (e.getValue().inCall()) {
                      hungUp++;
                      log.info("Line '{}': drain timeout passed, BYE", e.getKey());
                    }
                    shutdowns.add(e.getValue().shutdown());
                  }
                  int byTimeout = hungUp;
                  return CompletableFuture.allOf(shutdowns.toArray(CompletableFuture[]::new))
                      .completeOnTimeout(
                          null, config.hangupTimeout().toMillis(), TimeUnit.MILLISECONDS)
                      .handle((x, e) -> new DrainOutcome(atStart, byTimeout));
                })
            .whenComplete(
                (o, e) ->
                    log.info(
                        "Drained: {} call(s) at start, {} hung up at the timeout; "
                            + "accounts un-registered",
                        o == null ? atStart : o.callsAtStart(),
                        o == null ? 0 : o.callsHungUp()));
    return drained;
  }

  /** Completes once the line has no call. */
  private static CompletableFuture<Void> callOver(Line line) {
    CompletableFuture<Void> over = new CompletableFuture<>();
    AutoCloseable watch = line.watch(s -> completeIfIdle(line, over));
    completeIfIdle(line, over);
    // Unhooking a listener cannot fail in a way anyone could act on.
    var unused =
        over.whenComplete(
            (v, e) -> {
              try {
                watch.close();
              } catch (Exception ignored) {
                // see above
              }
            });
    return over;
  }

  private static void completeIfIdle(Line line, CompletableFuture<Void> over) {
    if (!line.inCall()) {
      over.complete(null);
    }
  }
}

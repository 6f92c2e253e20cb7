package org.sipline.benchmarks.line;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;

/**
 * A {@link Line} on an {@link InstantBackend}, registered, in session and in a connected outgoing
 * call: the state in which SipMute, SipUnMute and the status reads are measured.
 */
public final class ConnectedLine implements AutoCloseable {
  private static final String ACCOUNT = "bench@127.0.0.1";
  private static final long STEP_SECONDS = 5;

  private final InstantBackend backend;
  private final Line line;

  private ConnectedLine(InstantBackend backend, Line line) {
    this.backend = backend;
    this.line = line;
  }

  /**
   * A line on an instant backend with a connected call.
   *
   * @param historyLimit statuses the history keeps
   * @param journal the history's JSONL journal, or null for none
   */
  public static ConnectedLine open(int historyLimit, Path journal)
      throws InterruptedException, ExecutionException, TimeoutException {
    InstantBackend backend = new InstantBackend();
    LineConfig config = LineConfig.builder().historyLimit(historyLimit).journal(journal).build();
    Line line = Line.open(backend, config);
    ConnectedLine connected = new ConnectedLine(backend, line);
    CompletableFuture<LineStatus> up = new CompletableFuture<>();
    AutoCloseable watch =
        line.watch(
            s -> {
              if (s.type() == StatusType.OUTGOING_CALL_CONNECTED) {
                up.complete(s);
              }
            });
    try {
      expect(line.registerAccount(ACCOUNT, "", "", ""), StatusType.REGISTERED);
      expect(line.startSession(ACCOUNT, 0), StatusType.SESSION_STARTED);
      expect(line.startCall("callee@127.0.0.1", Map.of()), StatusType.OUTGOING_CALL_INITIATED);
      up.get(STEP_SECONDS, TimeUnit.SECONDS);
      // Unsubscribed, so that the measured appends call no watcher.
      unwatch(watch);
    } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
      connected.close();
      throw e;
    }
    return connected;
  }

  public Line line() {
    return line;
  }

  /** SipMute then SipUnMute: two statuses appended. */
  public LineStatus muteUnmute() throws InterruptedException, ExecutionException, TimeoutException {
    line.mute().get(STEP_SECONDS, TimeUnit.SECONDS);
    return line.unmute().get(STEP_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    line.close();
    backend.close();
  }

  private static void unwatch(AutoCloseable watch) {
    try {
      watch.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing a status watch failed", e);
    }
  }

  private static void expect(CompletableFuture<LineStatus> f, StatusType want)
      throws InterruptedException, ExecutionException, TimeoutException {
    LineStatus s = f.get(STEP_SECONDS, TimeUnit.SECONDS);
    if (s.type() != want) {
      throw new IllegalStateException(
          "want " + want + ", got " + s.type() + ": " + s.description());
    }
  }
}

package org.sipline.examples.embedded;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.backends.Backends;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;

/**
 * A phone line inside a program of one's own, without the gRPC server: picks a SIP backend, opens a
 * line on it, registers an account, calls someone, plays them a prompt, hangs up, and prints every
 * status the line records on the way — the same statuses the server's clients see.
 *
 * <p>Every step is one method of {@link Line}; each returns a future of the status that answers it.
 * What happens later (the callee answering, the far end hanging up) arrives through {@link
 * Line#watch}, which this program prints and waits on.
 *
 * <p>Exit codes: 0 the prompt was played and the call ended normally, 1 a step failed (the status
 * printed last says why), 2 bad command line.
 */
public final class EmbeddedCall {
  private EmbeddedCall() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The whole program; returns its exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("embedded-call: " + e.getMessage());
      err.println(Options.USAGE);
      return 2;
    }
    // Backends on the class path are found with ServiceLoader; this one is named, the server's
    // --backend flag does the same. Backends.start checks the config's options against the ones
    // the backend declares before starting it.
    SipBackend backend =
        Backends.start(
            Backends.load().select(options.backend()),
            BackendConfig.loopback().bindAddress(options.bindAddress()).build());
    try (Line line = Line.open(backend, LineConfig.defaults());
        StatusWaiter statuses = new StatusWaiter(line, out)) {
      return call(line, statuses, options, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("embedded-call: interrupted");
      return 1;
    } finally {
      backend.close();
    }
  }

  private static int call(Line line, StatusWaiter statuses, Options options, PrintStream err)
      throws InterruptedException {
    Duration timeout = options.timeout();
    try {
      LineStatus registered =
          answer(
              line.registerAccount(
                  options.accountName(), options.password(), "", options.registrar()),
              timeout);
      if (registered.type() != StatusType.REGISTERED) {
        err.println("embedded-call: not registered: " + registered.description());
        return 1;
      }
      // A session makes the account the line's own: calls go out as it. Its auto-answer interval
      // (0: at once) would apply to calls coming in meanwhile.
      answer(line.startSession(options.accountName(), 0), timeout);
      answer(line.startCall(options.callee(), Map.of()), timeout);
      LineStatus connected =
          statuses.await(
              Set.of(
                  StatusType.OUTGOING_CALL_CONNECTED,
                  StatusType.OUTGOING_CALL_FAILED,
                  StatusType.OUTGOING_CALL_FINISHED),
              timeout);
      if (connected.type() != StatusType.OUTGOING_CALL_CONNECTED) {
        err.println("embedded-call: the call did not connect: " + connected.description());
        return 1;
      }
      LineStatus played = answer(line.playWavFiles(List.of(options.prompt())), timeout);
      if (played.type() != StatusType.MICROPHONE_WAV_FILES_PLAYED) {
        err.println("embedded-call: the prompt was not played: " + played.description());
        return 1;
      }
      // A soft hangup: BYE, and the future completes once the call has finished.
      answer(line.endCall(false), timeout);
      statuses.await(Set.of(StatusType.OUTGOING_CALL_FINISHED), timeout);
      answer(line.endSession(), timeout);
      return 0;
    } catch (ExecutionException e) {
      // The line refused the request before acting (a bad argument, the wrong state).
      err.println("embedded-call: refused: " + e.getCause().getMessage());
      return 1;
    } catch (TimeoutException e) {
      err.println("embedded-call: " + e.getMessage());
      return 1;
    }
  }

  private static LineStatus answer(CompletableFuture<LineStatus> request, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    return request.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}

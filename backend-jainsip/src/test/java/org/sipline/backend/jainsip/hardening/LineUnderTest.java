package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.FailedPreconditionException;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;
import org.sipline.testing.TestWavs;

/**
 * A line on a real jainsip backend for a stateful property test: each rpc is called as a client
 * would and must answer within {@link #RPC_BOUND}; a refusal for the line's state
 * (FAILED_PRECONDITION) is an answer too. Everything it opens is closed by {@link #close}.
 */
final class LineUnderTest implements AutoCloseable {
  static final Duration RPC_BOUND = Duration.ofSeconds(10);

  /** Statuses that say something is under way; the line must leave them by itself. */
  static final Set<StatusType> TRANSIENT =
      Set.of(
          StatusType.OUTGOING_CALL_INITIATED,
          StatusType.INCOMING_CALL_INITIATED,
          StatusType.SOFT_HANGUP_INITIATED,
          StatusType.HARD_HANGUP_INITIATED,
          StatusType.TRANSFER_CALL_INITIATED);

  private static final byte[] WAV = TestWavs.sine(8000, 1, 440, 200, 8000 / 32767.0);

  final String account;
  private final SipBackend backend;
  private final Line line;
  private final List<String> done = new ArrayList<>();

  LineUnderTest(int registrarPort) {
    account = "bot@127.0.0.1:" + registrarPort;
    backend =
        new JainSipBackendProvider()
            .create(
                BackendConfig.loopback()
                    .registerTimeout(Duration.ofSeconds(2))
                    .transactionTimeout(Duration.ofSeconds(3))
                    .transferTimeout(Duration.ofSeconds(3))
                    .mediaTimeout(Duration.ofSeconds(5))
                    .build());
    line =
        Line.open(
            backend,
            LineConfig.builder()
                .hangupWait(Duration.ofSeconds(4))
                .callSetupWait(Duration.ofSeconds(8))
                .transferWait(Duration.ofSeconds(6))
                .build());
  }

  void register() {
    rpc("register", line.registerAccount(account, "secret", "", ""));
  }

  void startSession() {
    rpc("startSession", line.startSession(account, 0));
  }

  void endSession() {
    rpc("endSession", line.endSession());
  }

  void call(String callee) {
    rpc("call " + callee, line.startCall(callee, Map.of("X-Chain", "1")));
  }

  void hangup(boolean hard) {
    rpc(hard ? "hard hangup" : "soft hangup", line.endCall(hard));
  }

  void transfer(String target) {
    rpc("transfer " + target, line.transferCall(target, Map.of()));
  }

  void mute() {
    rpc("mute", line.mute());
  }

  void unmute() {
    rpc("unmute", line.unmute());
  }

  void play() {
    rpc("play", line.playWavFiles(List.of(WAV)));
  }

  /** The invariant: within the bound, the line rests (its status is not one under way). */
  void awaitRest() {
    await()
        .atMost(RPC_BOUND)
        .untilAsserted(
            () -> assertThat(line.status().type()).as("status after %s", done).isNotIn(TRANSIENT));
  }

  /**
   * After any sequence: ending the session leaves the line with neither a session nor a call —
   * NO_SESSION, or an account registered (or refused) that no session was started with, which
   * SipEndSession does not touch (SPEC §2: without a session it answers and changes nothing).
   */
  void endAndAwaitNoSession() {
    endSession();
    await()
        .atMost(RPC_BOUND)
        .untilAsserted(
            () ->
                assertThat(line.status().type())
                    .as("status after %s and endSession", done)
                    .isIn(
                        StatusType.NO_SESSION,
                        StatusType.REGISTERED,
                        StatusType.SESSION_REGISTRATION_FAILED));
  }

  private void rpc(String what, CompletableFuture<LineStatus> answer) {
    done.add(what);
    try {
      answer.get(RPC_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof FailedPreconditionException)) {
        throw new AssertionError(what + " after " + done + " failed: " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new AssertionError(
          what + " after " + done + " gave no answer within " + RPC_BOUND + ": the line is stuck",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + " interrupted", e);
    }
  }

  @Override
  public void close() {
    line.close();
    backend.close();
  }

  @Override
  public String toString() {
    return "line after " + done;
  }
}

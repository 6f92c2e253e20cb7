package org.sipline.server;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.testing.FakeBackend;
import org.sipline.testing.FakeCall;

/**
 * A {@link SiplineServer} on loopback over the in-memory {@link FakeBackend}, with a plaintext
 * client channel to it; {@link #sip()} gives a stub with a fresh deadline. Closing stops both.
 */
final class RunningServer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * How long the channel may take to connect before the first call: on a CI host at load 34 it took
   * 4.9 s, which a call's own deadline ({@link #WAIT}) had been paying for.
   */
  private static final Duration CONNECT = Duration.ofSeconds(60);

  final FakeBackend backend = new FakeBackend();
  final SiplineServer server;
  final ManagedChannel channel;

  private RunningServer(UnaryOperator<ServerConfig.Builder> customize) throws Exception {
    ServerConfig config =
        customize
            .apply(
                ServerConfig.builder()
                    .grpcAddress("127.0.0.1")
                    .grpcPort(0)
                    .sipAddress("127.0.0.1")
                    .sipPort(0)
                    .hangupTimeout(Duration.ofSeconds(2)))
            .build();
    server = SiplineServer.start(config, backend);
    channel = Grpc.newChannelBuilder(target(), InsecureChannelCredentials.create()).build();
    if (config.tls()) {
      // This plaintext channel can never reach READY on a TLS server; the tests that start one
      // open their own channels with the credentials under test.
      return;
    }
    try {
      await()
          .atMost(CONNECT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> channel.getState(true) == ConnectivityState.READY);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static RunningServer start() throws Exception {
    return new RunningServer(b -> b);
  }

  static RunningServer start(UnaryOperator<ServerConfig.Builder> customize) throws Exception {
    return new RunningServer(customize);
  }

  String target() {
    return "127.0.0.1:" + server.grpcPort();
  }

  /** A fresh stub: each blocking call gets its own deadline. */
  SipGrpc.SipBlockingStub sip() {
    return SipGrpc.newBlockingStub(channel)
        .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  List<SipStatus> history() {
    return sip().sipGetSipStatusHistory(Empty.getDefaultInstance()).getStatusHistoryList();
  }

  /**
   * Registers alice@example.org, starts her session and calls bob@example.org; returns the fake
   * backend's call once the line says it is connected.
   */
  FakeCall connectCall() {
    sip()
        .sipRegisterAccount(
            SipRegisterAccountRequest.newBuilder().setAccountName("alice@example.org").build());
    sip()
        .sipStartSession(
            SipStartSessionRequest.newBuilder().setAccountName("alice@example.org").build());
    sip().sipStartCall(SipStartCallRequest.newBuilder().setCalleeId("bob@example.org").build());
    awaitStatus(StatusType.OUTGOING_CALL_CONNECTED);
    return backend.lastCall();
  }

  /** Waits until the line's history holds a status of {@code type}, and returns the last one. */
  SipStatus awaitStatus(StatusType type) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                history().stream()
                    .filter(s -> s.getStatusType() == type)
                    .reduce((a, b) -> b)
                    .orElse(null),
            s -> s != null);
  }

  /** Waits until {@code type} occurs {@code count} times in the history. */
  void awaitCount(StatusType type, long count) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> history().stream().filter(s -> s.getStatusType() == type).count() >= count);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.stop();
  }
}

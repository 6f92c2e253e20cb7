package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.api.sip.SipTransferCallRequest;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;

/**
 * Issue 14 item 5: a client with ONDEWO's retry policy drives the server while the backend fails in
 * every way it can, and every rpc reaches the far end exactly once: one INVITE per SipStartCall,
 * one REFER per SipTransferCall, one attempt per rpc. No rpc that acted ends with a code the client
 * retries on.
 */
class RetrySafetyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FaultyBackend backend = new FaultyBackend();
  private final OndewoRetryPolicy policy = new OndewoRetryPolicy();
  private SiplineServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    backend
        .fake
        .script("busy", FakeScript.reject(486, "Busy Here"))
        .script("silent", FakeScript.neverAnswer())
        .script("leaves", FakeScript.answer().hangingUpAfter(Duration.ofMillis(200)))
        .script("refuses-refer", FakeScript.answer().referAnswer(403))
        .script("ignores-refer", FakeScript.answer().referAnswer(0))
        .script("fails-transfer", FakeScript.answer().notifyOutcome(486));
    server =
        SiplineServer.start(
            ServerConfig.builder()
                .grpcAddress("127.0.0.1")
                .grpcPort(0)
                .sipAddress("127.0.0.1")
                .sipPort(0)
                .hangupTimeout(Duration.ofSeconds(2))
                .build(),
            backend);
    channel = policy.channel("127.0.0.1:" + server.grpcPort());
    sip()
        .sipRegisterAccount(
            SipRegisterAccountRequest.newBuilder().setAccountName("alice@example.org").build());
    sip()
        .sipStartSession(
            SipStartSessionRequest.newBuilder().setAccountName("alice@example.org").build());
    policy.attempts.set(0);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.stop();
  }

  private SipGrpc.SipBlockingStub sip() {
    return SipGrpc.newBlockingStub(channel)
        .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private List<SipStatus> history() {
    return sip().sipGetSipStatusHistory(Empty.getDefaultInstance()).getStatusHistoryList();
  }

  /**
   * Runs one rpc and checks it went out once and did not end with a retried code; returns its
   * answer, or null when it was refused (with a code no client retries).
   */
  private SipStatus once(Supplier<SipStatus> rpc) {
    int before = policy.attempts.get();
    SipStatus answer = null;
    try {
      answer = rpc.get();
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode())
          .as("error code of an rpc: %s", e.getStatus())
          .isNotIn(OndewoRetryPolicy.RETRIED);
    }
    assertThat(policy.attempts.get() - before).as("attempts of one rpc").isEqualTo(1);
    return answer;
  }

  private SipStatus startCall(String callee) {
    return once(
        () -> sip().sipStartCall(SipStartCallRequest.newBuilder().setCalleeId(callee).build()));
  }

  private SipStatus transfer(String target) {
    return once(
        () ->
            sip()
                .sipTransferCall(
                    SipTransferCallRequest.newBuilder().setTransferId(target).build()));
  }

  /** Waits until the line records {@code type} after the first {@code from} statuses. */
  private void awaitAfter(int from, StatusType type) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              List<SipStatus> h = history();
              return h.subList(Math.min(from, h.size()), h.size()).stream()
                  .anyMatch(s -> s.getStatusType() == type);
            });
  }

  private FakeCall connect(String callee) {
    int invites = backend.invites.get();
    int h = history().size();
    assertThat(startCall(callee).getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
    assertThat(backend.invites.get()).isEqualTo(invites + 1);
    awaitAfter(h, StatusType.OUTGOING_CALL_CONNECTED);
    return backend.fake.lastCall();
  }

  private void hardHangup() {
    once(() -> sip().sipEndCall(SipEndCallRequest.newBuilder().setHardHangup(true).build()));
  }

  @Test
  void eachStartCallSendsOneInviteWhateverTheFarEndOrBackendDoes() {
    // Rejected by the far end: the rpc answered at once, the failure is a status.
    int h = history().size();
    assertThat(startCall("busy").getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
    awaitAfter(h, StatusType.OUTGOING_CALL_FAILED);
    assertThat(backend.invites.get()).isEqualTo(1);

    // Nothing could be sent.
    backend.fault = FaultyBackend.Fault.THROW_BEFORE_SENDING;
    assertThat(startCall("bob").getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_FAILED);
    assertThat(backend.invites.get()).isEqualTo(1);

    // Sent, then the backend threw.
    backend.fault = FaultyBackend.Fault.THROW_AFTER_INVITE;
    SipStatus thrown = startCall("bob");
    assertThat(thrown.getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_FAILED);
    assertThat(thrown.getDescription()).contains("transport closed after the INVITE was sent");
    assertThat(backend.invites.get()).isEqualTo(2);

    // Sent, then the line failed on the backend's broken call: the line ends the call it could not
    // track and answers with the failure, not INTERNAL.
    backend.fault = FaultyBackend.Fault.BROKEN_CALL_AFTER_INVITE;
    SipStatus broken = startCall("silent");
    assertThat(broken.getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_FAILED);
    assertThat(broken.getDescription())
        .contains("INVITE sip:silent@example.org sent but not tracked, call ended")
        .contains("Call-ID lost by the backend");
    assertThat(broken.getExceptionName()).isEqualTo(IllegalStateException.class.getName());
    assertThat(broken.getExceptionTraceback())
        .startsWith("java.lang.IllegalStateException: Call-ID lost by the backend");
    assertThat(backend.invites.get()).isEqualTo(3);

    // The far end never answers: the rpc does not wait for it.
    backend.fault = FaultyBackend.Fault.NONE;
    assertThat(startCall("silent").getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
    assertThat(backend.invites.get()).isEqualTo(4);
    // A second StartCall during that call is refused before anything is sent.
    assertThat(startCall("bob")).isNull();
    assertThat(backend.invites.get()).isEqualTo(4);
    hardHangup();

    // The far end answers and vanishes (BYE) at once.
    h = history().size();
    connect("leaves");
    awaitAfter(h, StatusType.OUTGOING_CALL_FINISHED);
    assertThat(backend.invites.get()).isEqualTo(5);
  }

  @Test
  void eachTransferSendsOneReferWhateverTheFarEndOrBackendDoes() {
    connect("refuses-refer");
    int h = history().size();
    assertThat(transfer("carol").getStatusType()).isEqualTo(StatusType.TRANSFER_CALL_INITIATED);
    awaitAfter(h, StatusType.TRANSFER_CALL_FAILED);
    assertThat(backend.refers.get()).isEqualTo(1);

    backend.fault = FaultyBackend.Fault.THROW_AFTER_REFER;
    h = history().size();
    assertThat(transfer("carol").getStatusType()).isEqualTo(StatusType.TRANSFER_CALL_INITIATED);
    awaitAfter(h, StatusType.TRANSFER_CALL_FAILED);
    assertThat(backend.refers.get()).isEqualTo(2);

    backend.fault = FaultyBackend.Fault.THROW_BEFORE_SENDING;
    h = history().size();
    assertThat(transfer("carol").getStatusType()).isEqualTo(StatusType.TRANSFER_CALL_INITIATED);
    awaitAfter(h, StatusType.TRANSFER_CALL_FAILED);
    assertThat(backend.refers.get()).isEqualTo(2);
    backend.fault = FaultyBackend.Fault.NONE;
    hardHangup();

    // The target refuses (NOTIFY 486): the REFER went out once, the call goes on.
    connect("fails-transfer");
    h = history().size();
    assertThat(transfer("carol").getStatusType()).isEqualTo(StatusType.TRANSFER_CALL_INITIATED);
    awaitAfter(h, StatusType.TRANSFER_CALL_FAILED);
    assertThat(backend.refers.get()).isEqualTo(3);

    // The far end never answers the REFER: the rpc does not wait, and a second transfer while the
    // first is pending is refused before anything is sent.
    hardHangup();
    connect("ignores-refer");
    assertThat(transfer("carol").getStatusType()).isEqualTo(StatusType.TRANSFER_CALL_INITIATED);
    assertThat(transfer("dave")).isNull();
    assertThat(backend.refers.get()).isEqualTo(4);
    hardHangup();

    // The far end vanished before the transfer: nothing to REFER, answered as such.
    h = history().size();
    connect("leaves");
    awaitAfter(h, StatusType.OUTGOING_CALL_FINISHED);
    assertThat(transfer("carol").getStatusType()).isEqualTo(StatusType.NO_ONGOING_CALL);
    assertThat(backend.refers.get()).isEqualTo(4);
  }
}

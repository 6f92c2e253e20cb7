package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.api.sip.SipTransferCallRequest;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;
import org.sipline.testing.TestWavs;

/** Every ondewo.sip rpc through real gRPC on loopback, over the line and the fake backend. */
class SipServiceTest {
  private static final String ALICE = "alice@example.org";
  private static final Empty EMPTY = Empty.getDefaultInstance();

  private RunningServer running;

  @BeforeEach
  void start() throws Exception {
    running = RunningServer.start();
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private SipGrpc.SipBlockingStub sip() {
    return running.sip();
  }

  private static byte[] wav(int millis) {
    return TestWavs.sine(8000, 1, 440, millis, 0.5);
  }

  private void registerAndStartSession() {
    assertThat(
            sip()
                .sipRegisterAccount(
                    SipRegisterAccountRequest.newBuilder()
                        .setAccountName(ALICE)
                        .setPassword("secret")
                        .build())
                .getStatusType())
        .isEqualTo(StatusType.REGISTERED);
    assertThat(
            sip()
                .sipStartSession(SipStartSessionRequest.newBuilder().setAccountName(ALICE).build())
                .getStatusType())
        .isEqualTo(StatusType.SESSION_STARTED);
  }

  private FakeCall connectedCall(String callee) {
    SipStatus initiated =
        sip()
            .sipStartCall(
                SipStartCallRequest.newBuilder()
                    .setCalleeId(callee)
                    .putHeaders("X-Bot", "demo")
                    .build());
    assertThat(initiated.getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
    running.awaitStatus(StatusType.OUTGOING_CALL_CONNECTED);
    return running.backend.lastCall();
  }

  @Test
  void aFreshLineAnswersNoSession() {
    SipStatus status = sip().sipGetSipStatus(EMPTY);
    assertThat(status.getStatusType()).isEqualTo(StatusType.NO_SESSION);
    assertThat(status.hasTimestamp()).isTrue();
  }

  @Test
  void aWholeCallThroughEveryRpc() {
    registerAndStartSession();
    assertThat(sip().sipGetSipStatus(EMPTY).getStatusType()).isEqualTo(StatusType.READY);

    FakeCall call = connectedCall("bob@example.org");
    assertThat(call.sentHeaders()).containsEntry("X-Bot", "demo");

    SipStatus played =
        sip()
            .sipPlayWavFiles(
                SipPlayWavFilesRequest.newBuilder()
                    .addWavFiles(ByteString.copyFrom(wav(200)))
                    .addWavFiles(ByteString.copyFrom(wav(100)))
                    .build());
    assertThat(played.getStatusType()).isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
    assertThat(call.speechFrames()).isGreaterThanOrEqualTo(14);

    assertThat(sip().sipMute(EMPTY).getStatusType()).isEqualTo(StatusType.MICROPHONE_MUTED);
    assertThat(sip().sipUnMute(EMPTY).getStatusType()).isEqualTo(StatusType.MICROPHONE_UNMUTED);

    SipStatus transfer =
        sip()
            .sipTransferCall(
                SipTransferCallRequest.newBuilder()
                    .setTransferId("carol@example.org")
                    .putHeaders("X-Reason", "human")
                    .build());
    assertThat(transfer.getStatusType()).isEqualTo(StatusType.TRANSFER_CALL_INITIATED);
    assertThat(transfer.getTransferCallId()).contains("carol");
    running.awaitStatus(StatusType.OUTGOING_CALL_FINISHED);
    assertThat(call.transferHeaders()).containsEntry("X-Reason", "human");

    connectedCall("dave@example.org");
    SipStatus hangup = sip().sipEndCall(SipEndCallRequest.newBuilder().build());
    assertThat(hangup.getStatusType()).isEqualTo(StatusType.SOFT_HANGUP_INITIATED);
    running.awaitCount(StatusType.OUTGOING_CALL_FINISHED, 2);

    assertThat(sip().sipEndSession(EMPTY).getStatusType()).isEqualTo(StatusType.SESSION_ENDED);
    assertThat(running.backend.registrarLog()).contains("REGISTER " + ALICE + " expires=0");

    List<SipStatus> history = running.history();
    assertThat(history)
        .extracting(SipStatus::getStatusType)
        .containsSubsequence(
            StatusType.REGISTERED,
            StatusType.SESSION_STARTED,
            StatusType.READY,
            StatusType.OUTGOING_CALL_INITIATED,
            StatusType.OUTGOING_CALL_CONNECTED,
            StatusType.MICROPHONE_WAV_FILES_PLAYED,
            StatusType.MICROPHONE_MUTED,
            StatusType.MICROPHONE_UNMUTED,
            StatusType.TRANSFER_CALL_INITIATED,
            StatusType.OUTGOING_CALL_FINISHED,
            StatusType.READY,
            StatusType.OUTGOING_CALL_INITIATED,
            StatusType.OUTGOING_CALL_CONNECTED,
            StatusType.SOFT_HANGUP_INITIATED,
            StatusType.OUTGOING_CALL_FINISHED,
            StatusType.SESSION_ENDED,
            StatusType.NO_SESSION);
    for (int i = 1; i < history.size(); i++) {
      assertThat(
              Timestamps.compare(history.get(i - 1).getTimestamp(), history.get(i).getTimestamp()))
          .isLessThanOrEqualTo(0);
    }
    assertThat(history.get(0).getAccountName()).isEqualTo(ALICE);
  }

  @Test
  void hardHangupAnswersHardHangupInitiated() {
    registerAndStartSession();
    connectedCall("bob@example.org");
    assertThat(
            sip()
                .sipEndCall(SipEndCallRequest.newBuilder().setHardHangup(true).build())
                .getStatusType())
        .isEqualTo(StatusType.HARD_HANGUP_INITIATED);
    running.awaitStatus(StatusType.OUTGOING_CALL_FINISHED);
  }

  @Test
  void aRejectedCallIsAFailedStatusWithTheSipResponse() {
    running.backend.script("busy", FakeScript.reject(486, "Busy Here"));
    registerAndStartSession();
    sip().sipStartCall(SipStartCallRequest.newBuilder().setCalleeId("busy@example.org").build());
    SipStatus failed = running.awaitStatus(StatusType.OUTGOING_CALL_FAILED);
    assertThat(failed.getDescription()).contains("486");
  }

  @Test
  void statusTimestampsAreWhenTheChangeHappened() {
    Instant before = Instant.now();
    registerAndStartSession();
    SipStatus ready = sip().sipGetSipStatus(EMPTY);
    Instant at =
        Instant.ofEpochSecond(ready.getTimestamp().getSeconds(), ready.getTimestamp().getNanos());
    assertThat(at).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
  }

  // ---- SPEC §2 errors ----------------------------------------------------------------------

  private static void assertRefused(Runnable rpc, Status.Code code, String descriptionStart) {
    assertThatThrownBy(rpc::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).startsWith(descriptionStart);
            });
  }

  @Test
  void malformedRequestsAreInvalidArgumentNamingTheField() {
    registerAndStartSession();
    assertRefused(
        () -> sip().sipStartCall(SipStartCallRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "callee_id: ");
    assertRefused(
        () ->
            sip()
                .sipStartCall(
                    SipStartCallRequest.newBuilder()
                        .setCalleeId("bob@example.org")
                        .putHeaders("X-Evil", "a\r\nVia: x")
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "headers[\"X-Evil\"]: ");
    assertRefused(
        () ->
            sip()
                .sipStartCall(
                    SipStartCallRequest.newBuilder()
                        .setCalleeId("bob@example.org")
                        .putHeaders("Call-ID", "mine")
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "headers[\"Call-ID\"]: ");
    assertRefused(
        () -> sip().sipTransferCall(SipTransferCallRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "transfer_id: ");
    assertRefused(
        () ->
            sip()
                .sipStartSession(
                    SipStartSessionRequest.newBuilder()
                        .setAccountName(ALICE)
                        .setAutoAnswerInterval(-1)
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "auto_answer_interval: ");
    assertRefused(
        () -> sip().sipRegisterAccount(SipRegisterAccountRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "account_name: ");
    assertRefused(
        () -> sip().sipPlayWavFiles(SipPlayWavFilesRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "wav_files: ");
    assertRefused(
        () ->
            sip()
                .sipPlayWavFiles(
                    SipPlayWavFilesRequest.newBuilder()
                        .addWavFiles(ByteString.copyFrom(wav(20)))
                        .addWavFiles(ByteString.copyFromUtf8("not a wav"))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "wav_files[1]: ");
  }

  @Test
  void aRefusedRequestChangesNothing() {
    registerAndStartSession();
    List<SipStatus> before = running.history();
    assertThatThrownBy(() -> sip().sipStartCall(SipStartCallRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(running.history()).isEqualTo(before);
  }

  @Test
  void requestsTheStateForbidsAreFailedPreconditionNamingTheState() {
    assertRefused(
        () ->
            sip()
                .sipStartSession(
                    SipStartSessionRequest.newBuilder()
                        .setAccountName("nobody@example.org")
                        .build()),
        Status.Code.FAILED_PRECONDITION,
        "");
    registerAndStartSession();
    connectedCall("bob@example.org");
    assertThatThrownBy(
            () ->
                sip()
                    .sipStartCall(
                        SipStartCallRequest.newBuilder().setCalleeId("carol@example.org").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("OUTGOING_CALL_CONNECTED");
            });
  }

  @Test
  void callScopedRequestsWithoutSessionOrCallAreAnsweredNotRefused() {
    SipStatus noSession =
        sip().sipStartCall(SipStartCallRequest.newBuilder().setCalleeId("bob@example.org").build());
    assertThat(noSession.getStatusType()).isEqualTo(StatusType.NO_SESSION);
    assertThat(noSession.getDescription()).contains("SipStartSession");
    registerAndStartSession();
    SipStatus noCall = sip().sipMute(EMPTY);
    assertThat(noCall.getStatusType()).isEqualTo(StatusType.NO_ONGOING_CALL);
    assertThat(noCall.getDescription()).contains("SipStartCall");
  }

  @Test
  void headersOfTheCallAreInItsStatuses() {
    registerAndStartSession();
    connectedCall("bob@example.org");
    SipStatus connected = running.awaitStatus(StatusType.OUTGOING_CALL_CONNECTED);
    assertThat(connected.getCalleeId()).contains("bob");
    assertThat(connected.getHeadersMap()).containsEntry("X-Bot", "demo");
    assertThat(connected.getNluSessionName()).isNotEmpty();
  }

  @Test
  void whileMutedPlaybackStillCompletes() {
    registerAndStartSession();
    connectedCall("bob@example.org");
    sip().sipMute(EMPTY);
    assertThat(
            sip()
                .sipPlayWavFiles(
                    SipPlayWavFilesRequest.newBuilder()
                        .addWavFiles(ByteString.copyFrom(wav(100)))
                        .build())
                .getStatusType())
        .isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
  }

  @Test
  void remoteByeEndsTheCallAndTheLineIsReadyAgain() {
    registerAndStartSession();
    FakeCall call = connectedCall("bob@example.org");
    call.remoteBye();
    running.awaitStatus(StatusType.OUTGOING_CALL_FINISHED);
    await()
        .atMost(RunningServer.WAIT)
        .until(() -> sip().sipGetSipStatus(EMPTY).getStatusType() == StatusType.READY);
    assertThat(running.history())
        .extracting(SipStatus::getStatusType)
        .endsWith(StatusType.OUTGOING_CALL_FINISHED, StatusType.READY);
    assertThat(running.backend.calls()).hasSize(1);
  }
}

package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.sipline.core.LineHarness.get;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;

/** The whole life of calls through the fake backend, beyond what the conformance suite asks. */
class LineCallLifeTest {

  @Test
  void outgoingCallCarriesCalleeHeadersAndNluNameThroughEveryStatus() {
    try (LineHarness h =
        new LineHarness(
            LineConfig.builder().nluSessionTemplate("bot-{account}-{callId}").build())) {
      h.ready(0);
      LineStatus initiated = get(h.line.startCall("answer", Map.of("X-Campaign", "42")));
      FakeCall call = h.fake.lastCall();
      assertThat(call.remote().toString()).isEqualTo("sip:answer@fake.test");
      assertThat(call.sentHeaders()).containsEntry("X-Campaign", "42");
      assertThat(initiated.calleeId()).isEqualTo("answer@fake.test");
      assertThat(initiated.headers()).containsEntry("X-Campaign", "42");
      assertThat(initiated.nluSessionName()).isEqualTo("bot-bot@fake.test-" + call.callId());
      assertThat(initiated.accountName()).isEqualTo(LineHarness.ACCOUNT);
      LineStatus connected = h.await(StatusType.OUTGOING_CALL_CONNECTED);
      assertThat(connected.nluSessionName()).isEqualTo(initiated.nluSessionName());
      call.remoteBye();
      LineStatus finished = h.await(StatusType.OUTGOING_CALL_FINISHED);
      assertThat(finished.calleeId()).isEqualTo("answer@fake.test");
      assertThat(finished.description()).contains("BYE from answer@fake.test", call.callId());
      h.await(StatusType.READY);
    }
  }

  @Test
  void incomingCallReportsCallerAndInviteHeadersAndAnswersAtOnceWithIntervalZero() {
    try (LineHarness h = new LineHarness()) {
      h.ready(0);
      FakeCall call = h.callIn();
      LineStatus initiated = h.await(StatusType.INCOMING_CALL_INITIATED);
      assertThat(initiated.calleeId()).isEqualTo("alice@caller.test");
      assertThat(initiated.headers()).containsEntry("X-Campaign", "7");
      h.await(StatusType.INCOMING_CALL_CONNECTED);
      assertThat(call.finalCode()).isEqualTo(200);
    }
  }

  @Test
  void callerCancelWhileRingingIsIncomingCallFailedThenReady() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.ringingIn();
      call.remoteCancel();
      assertThat(h.await(StatusType.INCOMING_CALL_FAILED).description()).contains("487");
      h.await(StatusType.READY);
      assertThat(call.finalCode()).isEqualTo(487);
    }
  }

  @Test
  void softHangupWhileDialingCancelsAndFinishes() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.dialing();
      LineStatus soft = get(h.line.endCall(false));
      assertThat(soft.description()).startsWith("CANCEL");
      assertThat(call.state()).isEqualTo(FakeCall.State.ENDED);
      // A soft hangup returns once the call has finished.
      assertThat(h.line.history().stream().map(LineStatus::type).toList())
          .containsSubsequence(StatusType.SOFT_HANGUP_INITIATED, StatusType.OUTGOING_CALL_FINISHED);
    }
  }

  @Test
  void softHangupOfARingingIncomingCallDeclinesIt() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.ringingIn();
      get(h.line.endCall(false));
      assertThat(call.finalCode()).isEqualTo(603);
      assertThat(h.line.status().type()).isEqualTo(StatusType.READY);
      assertThat(h.line.history().stream().map(LineStatus::type).toList())
          .containsSubsequence(
              StatusType.SOFT_HANGUP_INITIATED,
              StatusType.INCOMING_CALL_FINISHED,
              StatusType.READY);
    }
  }

  @Test
  void hardHangupDoesNotWaitForTheFarEnd() {
    try (LineHarness h = new LineHarness()) {
      h.connectedOut();
      LineStatus hard = get(h.line.endCall(true));
      assertThat(hard.type()).isEqualTo(StatusType.HARD_HANGUP_INITIATED);
      assertThat(h.line.status().type()).isEqualTo(StatusType.READY);
    }
  }

  @Test
  void remoteByeRacingALocalHangupFinishesTheCallOnce() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.connectedOut();
      call.remoteBye();
      get(h.line.endCall(false));
      h.await(StatusType.OUTGOING_CALL_FINISHED);
      h.await(StatusType.READY);
      long finished =
          h.line.history().stream()
              .filter(s -> s.type() == StatusType.OUTGOING_CALL_FINISHED)
              .count();
      assertThat(finished).isEqualTo(1);
    }
  }

  @Test
  void transferSuccessEndsTheCallWithTheTargetAndHeaders() {
    try (LineHarness h = new LineHarness()) {
      h.fake.script("xfer-ok", FakeScript.answer());
      FakeCall call = h.connectedOut("xfer-ok");
      LineStatus initiated = get(h.line.transferCall("+43 1 234-56", Map.of("X-Queue", "sales")));
      assertThat(initiated.transferCallId()).isEqualTo("+43123456@fake.test");
      assertThat(call.transferTarget().toString()).isEqualTo("sip:+43123456@fake.test;user=phone");
      assertThat(call.transferHeaders()).containsEntry("X-Queue", "sales");
      LineStatus finished = h.await(StatusType.OUTGOING_CALL_FINISHED);
      assertThat(finished.description()).contains("transferred to +43123456@fake.test");
      h.await(StatusType.READY);
    }
  }

  @Test
  void transferWithoutOutcomeFailsAfterTheBoundAndTheCallGoesOn() {
    try (LineHarness h =
        new LineHarness(LineConfig.builder().transferWait(Duration.ofMillis(300)).build())) {
      FakeCall call = h.transferring();
      LineStatus failed = h.await(StatusType.TRANSFER_CALL_FAILED);
      assertThat(failed.description()).contains("no transfer outcome within");
      assertThat(call.state()).isEqualTo(FakeCall.State.CONNECTED);
      assertThat(get(h.line.mute()).type()).isEqualTo(StatusType.MICROPHONE_MUTED);
    }
  }

  @Test
  void unansweredOutgoingCallIsGivenUpAfterTheSetupBound() {
    try (LineHarness h =
        new LineHarness(LineConfig.builder().callSetupWait(Duration.ofMillis(300)).build())) {
      FakeCall call = h.dialing();
      LineStatus failed = h.await(StatusType.OUTGOING_CALL_FAILED);
      assertThat(failed.description()).contains("not connected within");
      assertThat(call.state()).isEqualTo(FakeCall.State.ENDED);
      h.await(StatusType.READY);
    }
  }

  @Test
  void secondIncomingCallDuringACallIsRejectedBusyWithoutAStatus() {
    try (LineHarness h = new LineHarness()) {
      h.connectedIn();
      int before = h.line.history().size();
      FakeCall second = h.callIn();
      StatusProbeAwait.until(() -> second.finalCode() != 0);
      assertThat(second.finalCode()).isEqualTo(486);
      assertThat(h.line.history()).hasSize(before);
    }
  }

  @Test
  void incomingCallWithoutSessionIsTemporarilyUnavailable() {
    try (LineHarness h = new LineHarness()) {
      h.registered();
      FakeCall call = h.callIn();
      StatusProbeAwait.until(() -> call.finalCode() != 0);
      assertThat(call.finalCode()).isEqualTo(480);
    }
  }

  @Test
  void registrationFailureNamesTheSipResponse() {
    try (LineHarness h = new LineHarness()) {
      h.fake.requirePassword("carol@fake.test", "right");
      LineStatus s = get(h.line.registerAccount("carol@fake.test", "wrong", "", ""));
      assertThat(s.type()).isEqualTo(StatusType.SESSION_REGISTRATION_FAILED);
      assertThat(s.description()).isEqualTo("REGISTER sip:carol@fake.test: 403 Forbidden");
      Throwable t = catchThrowable(() -> get(h.line.startSession("carol@fake.test", 0)));
      assertThat(t)
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("never registered");
    }
  }

  @Test
  void silentRegistrarFailsWithinTheBound() {
    try (LineHarness h =
        new LineHarness(LineConfig.builder().registerWait(Duration.ofMillis(300)).build())) {
      h.fake.silentRegistrar(true);
      LineStatus s = get(h.line.registerAccount("dave@fake.test", "pw", "", ""));
      assertThat(s.type()).isEqualTo(StatusType.SESSION_REGISTRATION_FAILED);
      assertThat(s.description()).contains("no answer from the registrar within");
    }
  }

  @Test
  void endSessionHangsUpUnregistersAndEndsAtNoSession() {
    try (LineHarness h = new LineHarness()) {
      FakeCall call = h.connectedOut();
      LineStatus ended = get(h.line.endSession());
      assertThat(ended.type()).isEqualTo(StatusType.SESSION_ENDED);
      assertThat(call.state()).isEqualTo(FakeCall.State.ENDED);
      assertThat(h.fake.registrarLog()).last().isEqualTo("REGISTER bot@fake.test expires=0");
      assertThat(h.line.status().type()).isEqualTo(StatusType.NO_SESSION);
      assertThat(h.line.history().stream().map(LineStatus::type).toList())
          .containsSubsequence(
              StatusType.OUTGOING_CALL_FINISHED, StatusType.SESSION_ENDED, StatusType.NO_SESSION);
    }
  }

  @Test
  void malformedRequestsAreRefusedNamingTheFieldAndChangeNothing() {
    try (LineHarness h = new LineHarness()) {
      h.ready(0);
      int before = h.line.history().size();
      assertThat(catchThrowable(() -> get(h.line.startCall("", Map.of()))))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("callee_id");
      assertThat(catchThrowable(() -> get(h.line.startCall("bob", Map.of("Via", "x")))))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("headers");
      assertThat(catchThrowable(() -> get(h.line.startSession(LineHarness.ACCOUNT, -1))))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("auto_answer_interval");
      assertThat(catchThrowable(() -> get(h.line.playWavFiles(List.of()))))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("wav_files");
      assertThat(catchThrowable(() -> get(h.line.playWavFiles(List.of(new byte[] {1, 2, 3})))))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("wav_files[0]");
      assertThat(catchThrowable(() -> get(h.line.registerAccount("no-host@", "", "", ""))))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageStartingWith("account_name");
      assertThat(h.line.history()).hasSize(before);
    }
  }

  @Test
  void repeatingStartSessionMuteAndUnmuteRecordsNothing() {
    try (LineHarness h = new LineHarness()) {
      h.connectedOut();
      get(h.line.mute());
      int before = h.line.history().size();
      assertThat(get(h.line.mute()).type()).isEqualTo(StatusType.MICROPHONE_MUTED);
      assertThat(get(h.line.startSession(LineHarness.ACCOUNT, 0)).type())
          .isEqualTo(StatusType.MICROPHONE_MUTED);
      assertThat(h.line.history()).hasSize(before);
      get(h.line.unmute());
      assertThat(get(h.line.unmute()).type()).isEqualTo(StatusType.MICROPHONE_UNMUTED);
      assertThat(h.line.history()).hasSize(before + 1);
    }
  }
}

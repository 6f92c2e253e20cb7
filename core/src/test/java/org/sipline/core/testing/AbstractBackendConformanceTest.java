package org.sipline.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.audio.TestWavs;
import org.sipline.core.testing.ConformanceEnvironment.Credentials;

/**
 * SPEC §2 against a backend, through the core {@link Line}: every backend's tests extend this with
 * an environment of real peers (the fake's with scripts), so every backend is judged by the same
 * statuses in the same order. grpc-java's AbstractTransportTest in spirit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractBackendConformanceTest {
  private ConformanceEnvironment env;
  private Line line;
  private StatusProbe probe;
  private Duration patience;

  /** Why the environment could not be made (an assumption failed), or null. */
  private String unavailable;

  /**
   * The environment for this class; called once, closed after the last test. It may abort with an
   * assumption (e.g. a native library missing): every test of the class is then reported skipped
   * with that reason, rather than the class vanishing from the report as "Tests run: 0".
   */
  protected abstract ConformanceEnvironment createEnvironment() throws Exception;

  @BeforeAll
  void startEnvironment() throws Exception {
    try {
      env = createEnvironment();
    } catch (TestAbortedException e) {
      unavailable = e.getMessage();
      return;
    }
    patience = env.patience();
  }

  @AfterAll
  void stopEnvironment() {
    if (env != null) {
      env.close();
    }
  }

  @BeforeEach
  void openLine() {
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    line =
        Line.open(
            env.backend(),
            LineConfig.builder()
                .registerWait(patience)
                .hangupWait(patience)
                .transferWait(patience)
                .build());
    probe = new StatusProbe(line);
  }

  @AfterEach
  void closeLine() throws Exception {
    if (line == null) {
      return;
    }
    probe.close();
    try {
      line.shutdown().get(patience.toMillis() * 2, TimeUnit.MILLISECONDS);
    } finally {
      line.close();
      line = null;
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(patience.toMillis() * 2, TimeUnit.MILLISECONDS);
  }

  private LineStatus await(StatusType type) {
    return probe.await(type, patience);
  }

  private void registerAndStartSession(int autoAnswerSeconds) throws Exception {
    Credentials c = env.account();
    LineStatus reg =
        get(
            line.registerAccount(
                c.accountName(), c.password(), c.authUsername(), c.outboundProxy()));
    assertThat(reg.type()).as("register: %s", reg.description()).isEqualTo(StatusType.REGISTERED);
    LineStatus started = get(line.startSession(c.accountName(), autoAnswerSeconds));
    assertThat(started.type()).isEqualTo(StatusType.SESSION_STARTED);
    assertThat(line.status().type()).isEqualTo(StatusType.READY);
  }

  private LineStatus connectOutgoing(FarEnd farEnd) throws Exception {
    registerAndStartSession(0);
    LineStatus initiated = get(line.startCall(env.callee(farEnd), Map.of("X-Conformance", "yes")));
    assertThat(initiated.type()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
    return await(StatusType.OUTGOING_CALL_CONNECTED);
  }

  // ---- registration and session ------------------------------------------------------------

  @Test
  void registerThenStartSessionMakesTheLineReady() throws Exception {
    registerAndStartSession(0);
    assertThat(probe.types())
        .containsExactly(StatusType.REGISTERED, StatusType.SESSION_STARTED, StatusType.READY);
    assertThat(line.isRegistered()).isTrue();
  }

  @Test
  void wrongPasswordIsARegistrationFailureWithTheSipCode() throws Exception {
    Credentials c = env.wrongPassword();
    LineStatus s =
        get(
            line.registerAccount(
                c.accountName(), c.password(), c.authUsername(), c.outboundProxy()));
    assertThat(s.type()).isEqualTo(StatusType.SESSION_REGISTRATION_FAILED);
    assertThat(s.description()).containsPattern("\\b(401|403|407)\\b");
    assertThat(s.accountName()).isEqualTo(c.accountName());
  }

  @Test
  void endSessionUnregistersAndLeavesNoSession() throws Exception {
    registerAndStartSession(0);
    LineStatus ended = get(line.endSession());
    assertThat(ended.type()).isEqualTo(StatusType.SESSION_ENDED);
    assertThat(line.status().type()).isEqualTo(StatusType.NO_SESSION);
    assertThat(env.awaitUnregistered(patience)).as("registrar dropped the binding").isTrue();
  }

  // ---- outgoing calls ----------------------------------------------------------------------

  @Test
  void answeredCallThenSoftHangupFinishesAndIsReadyAgain() throws Exception {
    LineStatus connected = connectOutgoing(FarEnd.ANSWER);
    assertThat(connected.calleeId()).isNotEmpty();
    assertThat(connected.nluSessionName()).isNotEmpty();
    LineStatus hangup = get(line.endCall(false));
    assertThat(hangup.type()).isEqualTo(StatusType.SOFT_HANGUP_INITIATED);
    await(StatusType.OUTGOING_CALL_FINISHED);
    await(StatusType.READY);
    assertThat(line.status().type()).isEqualTo(StatusType.READY);
  }

  @Test
  void busyCalleeIsAFailedCallNaming486() throws Exception {
    registerAndStartSession(0);
    get(line.startCall(env.callee(FarEnd.BUSY), Map.of()));
    LineStatus failed = await(StatusType.OUTGOING_CALL_FAILED);
    assertThat(failed.description()).contains("486");
    await(StatusType.READY);
  }

  @Test
  void ringingThenDeclinedIsAFailedCallNaming603() throws Exception {
    registerAndStartSession(0);
    get(line.startCall(env.callee(FarEnd.RING_THEN_DECLINE), Map.of()));
    LineStatus failed = await(StatusType.OUTGOING_CALL_FAILED);
    assertThat(failed.description()).contains("603");
    await(StatusType.READY);
  }

  @Test
  void remoteByeFinishesTheCall() throws Exception {
    connectOutgoing(FarEnd.ANSWER_THEN_BYE);
    await(StatusType.OUTGOING_CALL_FINISHED);
    await(StatusType.READY);
  }

  @Test
  void hardHangupFinishesAtOnce() throws Exception {
    connectOutgoing(FarEnd.ANSWER);
    LineStatus hard = get(line.endCall(true));
    assertThat(hard.type()).isEqualTo(StatusType.HARD_HANGUP_INITIATED);
    // Nothing waits on the network: the call is already finished when the answer comes back.
    List<StatusType> types = line.history().stream().map(LineStatus::type).toList();
    assertThat(types.subList(types.size() - 3, types.size()))
        .containsExactly(
            StatusType.HARD_HANGUP_INITIATED, StatusType.OUTGOING_CALL_FINISHED, StatusType.READY);
  }

  // ---- transfer ----------------------------------------------------------------------------

  @Test
  void acceptedTransferEndsTheCall() throws Exception {
    connectOutgoing(FarEnd.TRANSFER_ACCEPT);
    LineStatus initiated = get(line.transferCall(env.transferTarget(), Map.of("X-Reason", "bot")));
    assertThat(initiated.type()).isEqualTo(StatusType.TRANSFER_CALL_INITIATED);
    assertThat(initiated.transferCallId()).isNotEmpty();
    await(StatusType.OUTGOING_CALL_FINISHED);
    await(StatusType.READY);
  }

  @Test
  void refusedTransferFailsAndTheCallGoesOn() throws Exception {
    connectOutgoing(FarEnd.TRANSFER_REFUSE);
    get(line.transferCall(env.transferTarget(), Map.of()));
    await(StatusType.TRANSFER_CALL_FAILED);
    assertThat(get(line.mute()).type()).isEqualTo(StatusType.MICROPHONE_MUTED);
    get(line.endCall(false));
    await(StatusType.OUTGOING_CALL_FINISHED);
  }

  @Test
  void failureInTheNotifyFailsTheTransferAndTheCallGoesOn() throws Exception {
    connectOutgoing(FarEnd.TRANSFER_NOTIFY_FAIL);
    get(line.transferCall(env.transferTarget(), Map.of()));
    LineStatus failed = await(StatusType.TRANSFER_CALL_FAILED);
    assertThat(failed.description()).contains("503");
    get(line.endCall(false));
    await(StatusType.OUTGOING_CALL_FINISHED);
  }

  // ---- audio -------------------------------------------------------------------------------

  @Test
  void playbackMuteAndUnmuteDuringACall() throws Exception {
    connectOutgoing(FarEnd.ANSWER);
    byte[] wav = TestWavs.sine(8000, 1, 440, 300, 0.5);
    LineStatus played = get(line.playWavFiles(List.of(wav, wav)));
    assertThat(played.type()).isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
    assertThat(get(line.mute()).type()).isEqualTo(StatusType.MICROPHONE_MUTED);
    assertThat(get(line.playWavFiles(List.of(wav))).type())
        .isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
    assertThat(get(line.unmute()).type()).isEqualTo(StatusType.MICROPHONE_UNMUTED);
    get(line.endCall(false));
    await(StatusType.OUTGOING_CALL_FINISHED);
  }

  // ---- incoming calls ----------------------------------------------------------------------

  @Test
  void incomingCallIsAnsweredAfterTheIntervalAndEndsOnCallerBye() throws Exception {
    registerAndStartSession(1);
    try (Caller caller = env.call(CallerScript.ANSWERED_THEN_CALLER_BYE)) {
      LineStatus initiated = await(StatusType.INCOMING_CALL_INITIATED);
      assertThat(initiated.calleeId()).as("the caller").isNotEmpty();
      assertThat(initiated.headers()).isNotEmpty();
      LineStatus connected = await(StatusType.INCOMING_CALL_CONNECTED);
      assertThat(Duration.between(initiated.timestamp(), connected.timestamp()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
      await(StatusType.INCOMING_CALL_FINISHED);
      await(StatusType.READY);
      assertThat(caller.awaitSuccess(patience)).as(caller.describe()).isTrue();
    }
  }

  @Test
  void callerCancelIsAFailedIncomingCall() throws Exception {
    registerAndStartSession(5);
    try (Caller caller = env.call(CallerScript.CANCEL_WHILE_RINGING)) {
      await(StatusType.INCOMING_CALL_INITIATED);
      await(StatusType.INCOMING_CALL_FAILED);
      await(StatusType.READY);
      assertThat(caller.awaitSuccess(patience)).as(caller.describe()).isTrue();
    }
  }

  @Test
  void secondCallDuringACallGetsBusyHere() throws Exception {
    registerAndStartSession(0);
    try (Caller first = env.call(CallerScript.ANSWERED_THEN_WAIT_FOR_BYE)) {
      await(StatusType.INCOMING_CALL_CONNECTED);
      try (Caller second = env.call(CallerScript.EXPECT_BUSY)) {
        assertThat(second.awaitSuccess(patience)).as(second.describe()).isTrue();
      }
      assertThat(probe.types()).containsOnlyOnce(StatusType.INCOMING_CALL_INITIATED);
      get(line.endCall(false));
      await(StatusType.INCOMING_CALL_FINISHED);
      assertThat(first.awaitSuccess(patience)).as(first.describe()).isTrue();
    }
  }

  @Test
  void incomingCallWithoutASessionGetsTemporarilyUnavailable() throws Exception {
    Credentials c = env.account();
    assertThat(
            get(line.registerAccount(
                    c.accountName(), c.password(), c.authUsername(), c.outboundProxy()))
                .type())
        .isEqualTo(StatusType.REGISTERED);
    try (Caller caller = env.call(CallerScript.EXPECT_UNAVAILABLE)) {
      assertThat(caller.awaitSuccess(patience)).as(caller.describe()).isTrue();
    }
    assertThat(probe.types()).doesNotContain(StatusType.INCOMING_CALL_INITIATED);
  }
}

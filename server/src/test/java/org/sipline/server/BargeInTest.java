package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.testing.FakeCall;
import org.sipline.testing.TestWavs;

/**
 * A SipPlayWavFiles the client cancels, or whose deadline passes, drops its unplayed audio: a
 * following short prompt plays at once instead of waiting behind the long one.
 */
class BargeInTest {
  /** Far longer than any wait below: if it kept playing, the next prompt would time out. */
  private static final int LONG_PROMPT_MS = 20_000;

  private RunningServer running;
  private FakeCall call;

  @BeforeEach
  void callInProgress() throws Exception {
    running = RunningServer.start();
    call = running.connectCall();
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private static SipPlayWavFilesRequest prompt(int millis) {
    return SipPlayWavFilesRequest.newBuilder()
        .addWavFiles(ByteString.copyFrom(TestWavs.sine(8000, 1, 440, millis, 0.5)))
        .build();
  }

  private void assertAShortPromptPlaysAtOnce() {
    SipStatus played =
        running.sip().withDeadlineAfter(3, TimeUnit.SECONDS).sipPlayWavFiles(prompt(100));
    assertThat(played.getStatusType()).isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
  }

  @Test
  void cancellingTheRpcDropsItsUnplayedAudio() {
    int before = call.speechFrames();
    ListenableFuture<SipStatus> longPrompt =
        SipGrpc.newFutureStub(running.channel).sipPlayWavFiles(prompt(LONG_PROMPT_MS));
    await().atMost(RunningServer.WAIT).until(() -> call.speechFrames() > before);
    longPrompt.cancel(true);
    assertAShortPromptPlaysAtOnce();
  }

  @Test
  void aPassedDeadlineDropsTheUnplayedAudio() {
    assertThatThrownBy(
            () ->
                running
                    .sip()
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .sipPlayWavFiles(prompt(LONG_PROMPT_MS)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertAShortPromptPlaysAtOnce();
  }
}

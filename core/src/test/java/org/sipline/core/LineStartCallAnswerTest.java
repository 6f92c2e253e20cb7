package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SipStartCall is answered once the backend has acted on the INVITE (issue 16): a client's next
 * request must not compete with the INVITE's send, and what the answer says is unchanged.
 */
class LineStartCallAnswerTest {

  @Test
  void theAnswerWaitsUntilTheBackendHasHandledTheInvite() {
    CompletableFuture<Void> handled = new CompletableFuture<>();
    try (LineHarness h = new LineHarness()) {
      h.fake.inviteHandledWhen(handled);
      h.ready(0);
      CompletableFuture<LineStatus> answer = h.line.startCall("silent", Map.of());
      LineStatus recorded = h.await(StatusType.OUTGOING_CALL_INITIATED);

      // The line has the call and its history says so; only the answer waits.
      assertThat(h.line.status().type()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
      assertThat(answer).isNotDone();

      handled.complete(null);
      LineStatus answered = LineHarness.get(answer);
      assertThat(answered).isEqualTo(recorded);
      assertThat(answered.description()).contains("Call-ID " + h.fake.lastCall().callId());
    }
  }

  @Test
  void aBackendThatNeverSaysIsAnsweredAfterTheBound() {
    try (LineHarness h = new LineHarness()) {
      h.fake.inviteHandledWhen(new CompletableFuture<>());
      h.ready(0);
      long start = System.nanoTime();
      LineStatus answered = LineHarness.get(h.line.startCall("silent", Map.of()));

      assertThat(answered.type()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
      assertThat(System.nanoTime() - start)
          .isGreaterThanOrEqualTo(LineCore.INVITE_HAND_OFF_BOUND.toNanos());
      // The call itself went on regardless.
      assertThat(h.line.status().type()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
    }
  }
}

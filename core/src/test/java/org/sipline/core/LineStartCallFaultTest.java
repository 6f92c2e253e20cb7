package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipline.testing.FakeBackend;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;

/**
 * A fault in SipStartCall after the backend has sent the INVITE must not leave a call nobody can
 * hang up: the line either tracks it or ends it, and says so in its history.
 */
class LineStartCallFaultTest {
  private static final Duration PATIENCE = LineHarness.PATIENCE;

  /**
   * The runtime's timer is gone (its runtime is closing) when SipStartCall runs: the INVITE is out
   * but the setup bound cannot be scheduled. The call must be ended (the far end stops ringing) and
   * recorded as failed, and the line must not claim a call.
   */
  @Test
  void aFaultAfterTheInviteWasSentEndsTheCallInsteadOfLosingIt() throws Exception {
    FakeBackend fake = new FakeBackend().script("silent", FakeScript.neverAnswer());
    LineRuntime runtime = LineRuntime.create(1);
    Line line =
        Line.open(
            fake,
            LineConfig.builder().registerWait(PATIENCE).hangupWait(PATIENCE).build(),
            runtime);
    CountDownLatch inActor = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread closer = null;
    try (AutoCloseable watch =
        line.watch(
            s -> {
              if (s.accountName().equals("second@fake.test") && s.type() == StatusType.REGISTERED) {
                // Holds the actor so that SipStartCall queues behind this status.
                inActor.countDown();
                try {
                  release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            })) {
      LineHarness.get(line.registerAccount(LineHarness.ACCOUNT, "secret", "", ""));
      LineHarness.get(line.startSession(LineHarness.ACCOUNT, 0));
      CompletableFuture<LineStatus> second =
          line.registerAccount("second@fake.test", "secret", "", "");
      assertThat(inActor.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      CompletableFuture<LineStatus> started = line.startCall("silent", Map.of());

      // Closing a runtime stops its timer at once and lets queued actor work finish.
      closer = new Thread(() -> runtime.close(PATIENCE), "runtime-closer");
      closer.start();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (!runtime.timer().isShutdown() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(runtime.timer().isShutdown()).isTrue();
      release.countDown();

      assertThat(LineHarness.get(second).type()).isEqualTo(StatusType.REGISTERED);
      LineStatus answer = LineHarness.get(started);
      assertThat(answer.type()).isEqualTo(StatusType.OUTGOING_CALL_FAILED);
      assertThat(answer.description()).contains("INVITE").contains("silent@fake.test");
      FakeCall sent = fake.lastCall();
      assertThat(sent).as("the INVITE went out").isNotNull();
      assertThat(sent.state())
          .as("the far end is not left ringing")
          .isEqualTo(FakeCall.State.ENDED);
      assertThat(line.inCall()).isFalse();
      assertThat(line.history())
          .extracting(LineStatus::type)
          .endsWith(StatusType.OUTGOING_CALL_FAILED, StatusType.READY);
    } finally {
      release.countDown();
      if (closer != null) {
        closer.join(PATIENCE.toMillis() * 2);
      }
      line.close();
      fake.close();
    }
  }
}

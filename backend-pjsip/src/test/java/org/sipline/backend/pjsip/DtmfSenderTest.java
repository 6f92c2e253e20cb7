package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipFailureException;

class DtmfSenderTest {
  private static final long MS = 1_000_000L;
  private static final long INFO_TIMEOUT = 4000 * MS;

  /** The shim as the sender sees it: answers scripted, calls recorded. */
  private static final class FakeShim implements DtmfSender.Native {
    int method = 0;
    int queued = 0;
    String error = "";
    final List<String> sent = new ArrayList<>();

    @Override
    public int send(int token, char digit, int durationMillis, byte[] err) {
      sent.add(token + ":" + digit + ":" + durationMillis);
      byte[] text = error.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(text, 0, err, 0, text.length);
      if (method == 0) {
        queued++;
      }
      return method;
    }

    @Override
    public int queued() {
      return queued;
    }
  }

  private final FakeShim shim = new FakeShim();
  private final DtmfSender sender = new DtmfSender(shim, INFO_TIMEOUT);

  @Test
  void anRfc4733DigitIsDoneWhenTheStreamsQueueIsEmpty() {
    CompletableFuture<DtmfMethod> f = sender.send(1, '5', 100, 0);

    sender.tick(60 * MS);
    assertThat(f).isNotDone();

    shim.queued = 0;
    sender.tick(160 * MS);
    assertThat(f).isCompletedWithValue(DtmfMethod.RFC4733);
  }

  @Test
  void aDigitAskedForWhileAnotherIsInTheStreamWaitsForIt() {
    CompletableFuture<DtmfMethod> first = sender.send(1, '1', 100, 0);
    CompletableFuture<DtmfMethod> second = sender.send(2, '2', 60, 10 * MS);
    assertThat(shim.sent).containsExactly("1:1:100");

    shim.queued = 0;
    sender.tick(160 * MS);

    assertThat(first).isCompletedWithValue(DtmfMethod.RFC4733);
    assertThat(second).isNotDone();
    assertThat(shim.sent).containsExactly("1:1:100", "2:2:60");
    shim.queued = 0;
    sender.tick(300 * MS);
    assertThat(second).isCompletedWithValue(DtmfMethod.RFC4733);
  }

  @Test
  void withAPjsuaThatCannotTellTheEndIsEstimated() {
    CompletableFuture<DtmfMethod> f = sender.send(1, '5', 100, 0);
    shim.queued = -2;

    sender.tick(100 * MS + DtmfSender.END_PACKETS_NANOS - 1);
    assertThat(f).isNotDone();
    sender.tick(100 * MS + DtmfSender.END_PACKETS_NANOS);
    assertThat(f).isCompletedWithValue(DtmfMethod.RFC4733);
  }

  @Test
  void anRfc4733DigitThatNeverLeavesTheStreamFailsAfterItsDeadline() {
    CompletableFuture<DtmfMethod> f = sender.send(1, '5', 100, 0);
    long deadline = INFO_TIMEOUT + DtmfSender.DEADLINE_SLACK_NANOS;

    sender.tick(deadline - 1);
    assertThat(f).isNotDone();
    sender.tick(deadline);
    assertThat(f).isCompletedExceptionally();
    assertThat(failure(f)).hasMessage("the DTMF digit was not sent in time");
  }

  @Test
  void anInfoDigitIsDoneOnA2xxAndFailsWithAnyOtherAnswer() {
    shim.method = 1;
    CompletableFuture<DtmfMethod> ok = sender.send(1, '4', 100, 0);
    CompletableFuture<DtmfMethod> refused = sender.send(2, '5', 100, 0);
    CompletableFuture<DtmfMethod> unanswered = sender.send(3, '6', 100, 0);
    assertThat(shim.sent).hasSize(3); // INFOs do not wait for each other

    sender.infoAnswered(1, 200, "OK");
    sender.infoAnswered(2, 415, "Unsupported Media Type");
    sender.infoAnswered(3, 0, "no response to the DTMF INFO within 4000 ms");
    sender.infoAnswered(3, 200, "OK"); // too late, and never twice

    assertThat(ok).isCompletedWithValue(DtmfMethod.SIP_INFO);
    assertThat(failure(refused)).hasMessage("415 Unsupported Media Type");
    assertThat(((SipFailureException) failure(refused)).failure().statusCode()).isEqualTo(415);
    assertThat(failure(unanswered)).hasMessage("no response to the DTMF INFO within 4000 ms");
  }

  @Test
  void anUnansweredInfoFailsAfterItsDeadline() {
    shim.method = 1;
    CompletableFuture<DtmfMethod> f = sender.send(1, '4', 100, 0);

    sender.expire(INFO_TIMEOUT + DtmfSender.DEADLINE_SLACK_NANOS - 1);
    assertThat(f).isNotDone();
    sender.expire(INFO_TIMEOUT + DtmfSender.DEADLINE_SLACK_NANOS);
    assertThat(failure(f)).hasMessage("the DTMF digit was not sent in time");
  }

  @Test
  void aDigitTheShimCouldNotSendFailsAtOnceWithWhy() {
    shim.method = -1;
    shim.error = "the call has ended";

    CompletableFuture<DtmfMethod> f = sender.send(1, '4', 100, 0);

    assertThat(failure(f)).hasMessage("DTMF '4' not sent: the call has ended");
  }

  @Test
  void theCallsEndFailsEveryDigitNotDoneWaitingOnesIncluded() {
    CompletableFuture<DtmfMethod> inStream = sender.send(1, '1', 100, 0);
    CompletableFuture<DtmfMethod> waiting = sender.send(2, '2', 100, 0);

    sender.callEnded("REMOTE_BYE");

    assertThat(failure(inStream)).hasMessage("the call ended: REMOTE_BYE");
    assertThat(failure(waiting)).hasMessage("the call ended: REMOTE_BYE");
    assertThat(shim.sent).containsExactly("1:1:100");
    sender.tick(500 * MS);
    assertThat(shim.sent).hasSize(1);
  }

  private static Throwable failure(CompletableFuture<DtmfMethod> f) {
    assertThat(f).isCompletedExceptionally();
    return f.handle((v, e) -> e).join();
  }
}

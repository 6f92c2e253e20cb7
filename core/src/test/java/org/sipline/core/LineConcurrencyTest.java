package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;
import org.sipline.testing.TestWavs;

/**
 * 16 threads fire random rpcs (and the far end random calls and BYEs) at one line for 10 s: every
 * future completes within its bound (no deadlock), nothing fails but with the documented
 * exceptions, and the history is totally ordered and follows the line's rules throughout.
 */
class LineConcurrencyTest {
  private static final Duration RUN = Duration.ofSeconds(10);
  private static final byte[] WAV = TestWavs.sine(8000, 1, 440, 60, 0.4);

  @Test
  void randomRpcsFromSixteenThreadsNeverDeadlockOrBreakTheRules() throws Exception {
    try (LineHarness h =
        new LineHarness(
            LineConfig.builder()
                .registerWait(Duration.ofSeconds(2))
                .hangupWait(Duration.ofSeconds(2))
                .transferWait(Duration.ofMillis(500))
                .callSetupWait(Duration.ofSeconds(1))
                .historyLimit(1_000_000)
                .build())) {
      h.fake.script("busy", FakeScript.reject(486, "Busy Here"));
      h.fake.script("bye", FakeScript.answer().hangingUpAfter(Duration.ofMillis(50)));
      h.fake.script("xfer-refuse", FakeScript.answer().referAnswer(603));
      Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
      Queue<CompletableFuture<LineStatus>> pending = new ConcurrentLinkedQueue<>();
      long end = System.nanoTime() + RUN.toNanos();
      ExecutorService threads = Executors.newFixedThreadPool(16);
      CountDownLatch done = new CountDownLatch(16);
      for (int t = 0; t < 16; t++) {
        long seed = t;
        threads.execute(
            () -> {
              SplittableRandom random = new SplittableRandom(seed);
              try {
                while (System.nanoTime() < end) {
                  CompletableFuture<LineStatus> f = fire(h, random);
                  if (f != null) {
                    pending.add(f);
                    // Wait for some answers (like a client), leave others running (like many
                    // clients).
                    if (random.nextInt(3) == 0) {
                      check(f, unexpected);
                    }
                  }
                }
              } catch (Throwable e) {
                unexpected.add(e);
              } finally {
                done.countDown();
              }
            });
      }
      assertThat(done.await(RUN.toSeconds() + 30, TimeUnit.SECONDS))
          .as("threads finished")
          .isTrue();
      threads.shutdownNow();
      for (CompletableFuture<LineStatus> f : pending) {
        check(f, unexpected);
      }
      assertThat(unexpected).as("unexpected failures").isEmpty();
      List<LineStatus> history = h.line.history();
      assertThat(history.size()).as("the run did something").isGreaterThan(100);
      new HistoryRules().check(history);
    }
  }

  private static void check(CompletableFuture<LineStatus> f, Queue<Throwable> unexpected) {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      unexpected.add(new AssertionError("a command never completed: deadlock or unbounded wait"));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (!(cause instanceof FailedPreconditionException)
          && !(cause instanceof InvalidArgumentException)) {
        unexpected.add(cause);
      }
    } catch (java.util.concurrent.CancellationException e) {
      // cancelled playback: barge-in, fine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static CompletableFuture<LineStatus> fire(LineHarness h, SplittableRandom r) {
    Line line = h.line;
    switch (r.nextInt(16)) {
      case 0:
        return line.registerAccount(LineHarness.ACCOUNT, "secret", "", "");
      case 1:
        return line.startSession(LineHarness.ACCOUNT, r.nextInt(2));
      case 2:
        return r.nextInt(4) == 0
            ? line.endSession()
            : line.status() == null ? null : CompletableFuture.completedFuture(line.status());
      case 3:
        return line.startCall(
            List.of("answer", "busy", "bye", "xfer-refuse").get(r.nextInt(4)), Map.of());
      case 4:
        return line.endCall(r.nextBoolean());
      case 5:
        return line.transferCall("human", Map.of());
      case 6:
        {
          CompletableFuture<LineStatus> f = line.playWavFiles(List.of(WAV));
          if (r.nextInt(4) == 0) {
            f.cancel(true);
          }
          return f;
        }
      case 7:
        return line.mute();
      case 8:
        return line.unmute();
      case 9:
        {
          line.history();
          return CompletableFuture.completedFuture(line.status());
        }
      case 10:
        {
          try {
            h.fake.callIn(LineHarness.ACCOUNT, SipUri.of("caller", "far.test", -1), Map.of());
          } catch (IllegalStateException e) {
            // not registered at this moment: nobody to call
          }
          return null;
        }
      case 11:
        {
          FakeCall c = h.fake.lastCall();
          if (c != null) {
            c.remoteBye();
          }
          return null;
        }
      case 12:
        {
          FakeCall c = h.fake.lastCall();
          if (c != null) {
            c.remoteCancel();
          }
          return null;
        }
      case 13:
        return line.startCall("bad\r\nname", Map.of()); // invalid, must change nothing
      default:
        return CompletableFuture.completedFuture(line.status());
    }
  }

  /** What may follow what in a line's history: a small model of SPEC §2. */
  static final class HistoryRules {
    private boolean session;
    private Boolean callIncoming; // null: no call
    private boolean connected;
    private boolean transferring;

    void check(List<LineStatus> history) {
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < history.size(); i++) {
        LineStatus s = history.get(i);
        if (i > 0) {
          LineStatus prev = history.get(i - 1);
          if (s.sequence() != prev.sequence() + 1 || s.timestamp().isBefore(prev.timestamp())) {
            errors.add("#" + s.sequence() + " out of order after #" + prev.sequence());
          }
        }
        String broken = apply(s.type());
        if (broken != null) {
          errors.add("#" + s.sequence() + " " + s.type() + ": " + broken);
        }
      }
      assertThat(errors).as("impossible transitions").isEmpty();
    }

    private String apply(StatusType t) {
      boolean inCall = callIncoming != null;
      switch (t) {
        case REGISTERED, SESSION_REGISTRATION_FAILED:
          return null;
        case SESSION_STARTED:
          if (inCall) return "session switch during a call";
          session = true;
          return null;
        case READY:
          return session && !inCall ? null : "READY without session or during call";
        case OUTGOING_CALL_INITIATED, INCOMING_CALL_INITIATED:
          if (!session || inCall) return "call without session or during call";
          callIncoming = t == StatusType.INCOMING_CALL_INITIATED;
          connected = false;
          transferring = false;
          return null;
        case OUTGOING_CALL_CONNECTED, INCOMING_CALL_CONNECTED:
          if (!inCall || connected) return "connect without a call or twice";
          if (callIncoming != (t == StatusType.INCOMING_CALL_CONNECTED)) return "wrong direction";
          connected = true;
          return null;
        case OUTGOING_CALL_FINISHED,
        INCOMING_CALL_FINISHED,
        OUTGOING_CALL_FAILED,
        INCOMING_CALL_FAILED:
          {
            if (!inCall) return "call end without a call";
            boolean incoming =
                t == StatusType.INCOMING_CALL_FINISHED || t == StatusType.INCOMING_CALL_FAILED;
            if (callIncoming != incoming) return "wrong direction";
            callIncoming = null;
            return null;
          }
        case SOFT_HANGUP_INITIATED, HARD_HANGUP_INITIATED, MICROPHONE_MUTED, MICROPHONE_UNMUTED:
          return inCall ? null : t + " without a call";
        case MICROPHONE_WAV_FILES_PLAYED:
          return inCall && connected ? null : "played without a connected call";
        case TRANSFER_CALL_INITIATED:
          if (!connected || transferring) return "transfer without connected call or twice";
          transferring = true;
          return null;
        case TRANSFER_CALL_FAILED:
          if (!transferring) return "transfer failure without a transfer";
          transferring = false;
          return null;
        case SESSION_ENDED:
          if (!session || inCall) return "session end without session or during call";
          session = false;
          return null;
        case NO_SESSION:
          return session ? "NO_SESSION while a session is active" : null;
        case NO_ONGOING_CALL:
          return "NO_ONGOING_CALL is an answer, never recorded";
        default:
          return "unknown";
      }
    }
  }
}

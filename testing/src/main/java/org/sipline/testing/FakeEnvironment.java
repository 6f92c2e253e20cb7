package org.sipline.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.TestAbortedException;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipUri;

/** The conformance suite's world for the {@link FakeBackend}: scripts instead of peers. */
public final class FakeEnvironment implements ConformanceEnvironment {
  private static final String ACCOUNT = "bot@fake.test";
  private final FakeBackend backend = new FakeBackend();
  private final AtomicInteger farEnds = new AtomicInteger();

  /**
   * An environment with one account ({@code bot@fake.test}, password {@code secret}) and a far end
   * per {@link FarEnd}.
   */
  public FakeEnvironment() {
    backend.requirePassword(ACCOUNT, "secret");
    backend.script("answer", FakeScript.answer());
    backend.script("busy", FakeScript.reject(486, "Busy Here"));
    backend.script("decline", FakeScript.ringThenReject(Duration.ofMillis(200), 603, "Decline"));
    backend.script("bye", FakeScript.answer().hangingUpAfter(Duration.ofSeconds(1)));
    backend.script("xfer-ok", FakeScript.answer());
    backend.script("xfer-refuse", FakeScript.answer().referAnswer(603));
    backend.script("xfer-503", FakeScript.answer().notifyOutcome(503));
  }

  /**
   * The fake behind the environment, for cases that drive it directly.
   *
   * @return the backend
   */
  public FakeBackend fake() {
    return backend;
  }

  @Override
  public SipBackend backend() {
    return backend;
  }

  @Override
  public Credentials account() {
    return new Credentials(ACCOUNT, "secret", "", "");
  }

  @Override
  public Credentials wrongPassword() {
    return new Credentials(ACCOUNT, "wrong", "", "");
  }

  @Override
  public String callee(FarEnd behaviour) {
    return switch (behaviour) {
      case ANSWER -> "answer";
      case BUSY -> "busy";
      case RING_THEN_DECLINE -> "decline";
      case ANSWER_THEN_BYE -> "bye";
      case TRANSFER_ACCEPT -> "xfer-ok";
      case TRANSFER_REFUSE -> "xfer-refuse";
      case TRANSFER_NOTIFY_FAIL -> "xfer-503";
      case REFER_FROM_FAR_END -> "answer"; // the fake's far end sends no REFER
      case ANSWER_WITH_HOST_NAME_IN_SDP, HOLD_THEN_RESUME ->
          throw new TestAbortedException("the fake's far ends send no SDP");
    };
  }

  @Override
  public String transferTarget() {
    return "human@fake.test";
  }

  @Override
  public Caller call(CallerScript script) {
    if (script == CallerScript.REQUIRES_SESSION_TIMER) {
      throw new TestAbortedException("the fake's callers send no SIP headers to require timers");
    }
    FakeCall call =
        backend.callIn(
            ACCOUNT, SipUri.of("caller", "fake.test", -1), Map.of("X-Caller", "conformance"));
    return new ScriptedCaller(call, script);
  }

  @Override
  public MediaFarEnd mediaFarEnd(short[] audio) {
    String user = "media-" + farEnds.incrementAndGet();
    backend.talkingFarEnd(user, audio);
    return new FakeMediaFarEnd(user);
  }

  /** The fake's talking far end: its call is the one placed to its user. */
  private final class FakeMediaFarEnd implements MediaFarEnd {
    private final String user;

    FakeMediaFarEnd(String user) {
      this.user = user;
    }

    private FakeCall call() {
      for (FakeCall c : backend.calls()) {
        if (!c.isIncoming() && user.equals(c.remote().user())) {
          return c;
        }
      }
      return null;
    }

    @Override
    public String callee() {
      return user;
    }

    @Override
    public void awaitMediaEstablished(Duration timeout) {
      StatusProbe.awaitTrue(
          () -> call() != null && call().framesSent() > 0, "the line's audio at " + user, timeout);
    }

    @Override
    public void sendDigits(String digits) {
      call().sendDigits(digits);
    }

    @Override
    public String digitsReceived() {
      FakeCall c = call();
      StringBuilder digits = new StringBuilder();
      if (c != null) {
        for (String sent : c.dtmfSent()) {
          digits.append(sent.charAt(0));
        }
      }
      return digits.toString();
    }

    @Override
    public short[] recording(Duration timeout) {
      StatusProbe.awaitTrue(
          () -> call() != null && call().state() == FakeCall.State.ENDED,
          "the call's end",
          timeout);
      return call().sentAudio();
    }

    @Override
    public void close() {}
  }

  @Override
  public boolean awaitUnregistered(Duration timeout) {
    try {
      StatusProbe.awaitTrue(() -> !backend.isBound(ACCOUNT), "unregistered", timeout);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /**
   * The fake answers in microseconds, but on a shared 2-core machine at load 10 a line's actor and
   * the scripted callers' threads can wait seconds for a CPU: 5 s once ran out (a busy-here test
   * failed under load and passed rerun). Successful waits return at once, so this costs nothing.
   */
  @Override
  public Duration patience() {
    return Duration.ofSeconds(10);
  }

  @Override
  public void close() {
    backend.close();
  }

  /** Plays a {@link CallerScript} on a fake incoming call, on a thread of its own. */
  private static final class ScriptedCaller implements Caller {
    private final FakeCall call;
    private final CallerScript script;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean success;
    private volatile String outcome = "running";

    ScriptedCaller(FakeCall call, CallerScript script) {
      this.call = call;
      this.script = script;
      this.thread = new Thread(this::run, "fake-caller");
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      try {
        Duration t = Duration.ofSeconds(10);
        switch (script) {
          case ANSWERED_THEN_CALLER_BYE -> {
            StatusProbe.awaitTrue(() -> call.state() == FakeCall.State.CONNECTED, "answered", t);
            StatusProbe.awaitTrue(() -> call.framesSent() >= 100, "2 s of RTP", t);
            call.remoteBye();
            success = true;
          }
          case ANSWERED_THEN_WAIT_FOR_BYE -> {
            // The 200 it got, not the CONNECTED state: the line may hang up before this thread
            // polls, and a state seen only in passing would be missed (a CI failure once).
            StatusProbe.awaitTrue(() -> call.finalCode() == 200, "answered", t);
            StatusProbe.awaitTrue(
                () -> call.state() == FakeCall.State.ENDED, "BYE", t.multipliedBy(6));
            success = true;
          }
          case CANCEL_WHILE_RINGING -> {
            // A person lets it ring a moment before giving up.
            call.remoteCancelAfter(Duration.ofMillis(300));
            StatusProbe.awaitTrue(() -> call.finalCode() != 0, "a final response", t);
            success = call.finalCode() == 487;
          }
          case EXPECT_BUSY -> {
            StatusProbe.awaitTrue(() -> call.finalCode() != 0, "a final response", t);
            success = call.finalCode() == 486;
          }
          case EXPECT_UNAVAILABLE -> {
            StatusProbe.awaitTrue(() -> call.finalCode() != 0, "a final response", t);
            success = call.finalCode() == 480;
          }
          case REQUIRES_SESSION_TIMER ->
              throw new IllegalStateException("refused in call(): the fake has no headers");
        }
        outcome = "final " + call.finalCode() + ", state " + call.state();
      } catch (AssertionError e) {
        outcome = e.getMessage();
      } finally {
        done.countDown();
      }
    }

    @Override
    public boolean awaitSuccess(Duration timeout) throws InterruptedException {
      return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && success;
    }

    @Override
    public String describe() {
      return script + ": " + outcome;
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }
}

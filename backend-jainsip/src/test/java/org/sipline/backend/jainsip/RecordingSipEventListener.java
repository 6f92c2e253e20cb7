package org.sipline.backend.jainsip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;

/**
 * Records every event in order so a test can assert the exact sequence, in the manner of OkHttp's
 * RecordingEventListener: {@link #next(Class)} takes the next event and fails naming what came
 * instead. It also checks the SPI's promises as events arrive: never two at once, nothing for a
 * call after its terminal event.
 */
final class RecordingSipEventListener implements SipEventListener {
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  sealed interface Event {}

  record Registered(SipAccount account, int expires) implements Event {}

  record RegistrationFailed(SipAccount account, SipFailure failure) implements Event {}

  record Unregistered(SipAccount account) implements Event {}

  record Incoming(SipCall call, IncomingCall info) implements Event {}

  record Ringing(SipCall call, int statusCode, String reason) implements Event {}

  record Connected(SipCall call) implements Event {}

  record Failed(SipCall call, SipFailure failure) implements Event {}

  record Ended(SipCall call, CallEnd cause, String description) implements Event {}

  record HoldChanged(SipCall call, boolean held, String description) implements Event {}

  record TransferAccepted(SipCall call) implements Event {}

  record TransferSucceeded(SipCall call) implements Event {}

  record TransferFailed(SipCall call, SipFailure failure) implements Event {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<String> violations = new ArrayList<>();
  private final List<SipCall> terminated = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  private void record(Event e, SipCall call, boolean terminal) {
    if (inFlight.incrementAndGet() > 1) {
      violation("two events at once: " + e);
    }
    try {
      synchronized (terminated) {
        if (call != null && terminated.contains(call)) {
          violation("event after the call's terminal event: " + e);
        }
        if (terminal) {
          terminated.add(call);
        }
      }
      events.add(e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void violation(String what) {
    synchronized (violations) {
      violations.add(what);
    }
  }

  /** The next event, which must be a {@code type}; waits up to 10 s. */
  <T extends Event> T next(Class<T> type) throws InterruptedException {
    return next(type, DEFAULT_WAIT);
  }

  <T extends Event> T next(Class<T> type, Duration within) throws InterruptedException {
    Event e = events.poll(within.toNanos(), TimeUnit.NANOSECONDS);
    if (e == null) {
      throw new AssertionError("no " + type.getSimpleName() + " within " + within);
    }
    if (!type.isInstance(e)) {
      throw new AssertionError("expected " + type.getSimpleName() + " but got " + e);
    }
    assertNoViolations();
    return type.cast(e);
  }

  /** No further event arrives within {@code period}. */
  void assertNoMoreEvents(Duration period) throws InterruptedException {
    Event e = events.poll(period.toNanos(), TimeUnit.NANOSECONDS);
    if (e != null) {
      throw new AssertionError("unexpected event " + e);
    }
    assertNoViolations();
  }

  void assertNoViolations() {
    synchronized (violations) {
      if (!violations.isEmpty()) {
        throw new AssertionError("SPI promises broken: " + violations);
      }
    }
  }

  @Override
  public void registered(SipAccount account, int expiresSeconds) {
    record(new Registered(account, expiresSeconds), null, false);
  }

  @Override
  public void registrationFailed(SipAccount account, SipFailure failure) {
    record(new RegistrationFailed(account, failure), null, false);
  }

  @Override
  public void unregistered(SipAccount account) {
    record(new Unregistered(account), null, false);
  }

  @Override
  public void incomingCall(SipCall call, IncomingCall info) {
    record(new Incoming(call, info), call, false);
  }

  @Override
  public void callRinging(SipCall call, int statusCode, String reason) {
    record(new Ringing(call, statusCode, reason), call, false);
  }

  @Override
  public void callConnected(SipCall call) {
    record(new Connected(call), call, false);
  }

  @Override
  public void callFailed(SipCall call, SipFailure failure) {
    record(new Failed(call, failure), call, true);
  }

  @Override
  public void callEnded(SipCall call, CallEnd cause, String description) {
    record(new Ended(call, cause, description), call, true);
  }

  @Override
  public void callHoldChanged(SipCall call, boolean held, String description) {
    record(new HoldChanged(call, held, description), call, false);
  }

  @Override
  public void transferAccepted(SipCall call) {
    record(new TransferAccepted(call), call, false);
  }

  @Override
  public void transferSucceeded(SipCall call) {
    record(new TransferSucceeded(call), call, false);
  }

  @Override
  public void transferFailed(SipCall call, SipFailure failure) {
    record(new TransferFailed(call, failure), call, false);
  }
}

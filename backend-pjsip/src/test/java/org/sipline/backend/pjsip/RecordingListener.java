package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;

/** Records every event as a line of text, in order, for exact-sequence assertions. */
final class RecordingListener implements SipEventListener {
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  /** Each ended call's description, in order: apart, so that sequences above stay exact. */
  final BlockingQueue<String> endDescriptions = new LinkedBlockingQueue<>();

  /**
   * The call's dialog record as each {@code dialogChanged} found it (an empty one when it had
   * none), apart like the others.
   */
  final BlockingQueue<Optional<DialogRecord>> dialogs = new LinkedBlockingQueue<>();

  /** Each hold change as "held: description" or "resumed: description", in order. */
  final BlockingQueue<String> holds = new LinkedBlockingQueue<>();

  volatile SipCall lastIncoming;
  volatile IncomingCall lastIncomingInfo;

  /** The next event, waiting at most {@code bound}. */
  String next(Duration bound) throws InterruptedException {
    String e = events.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      fail("no event within " + bound);
    }
    return e;
  }

  /** The next event within {@code bound}, or null. */
  String poll(Duration bound) throws InterruptedException {
    return events.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void registered(SipAccount account, int expiresSeconds) {
    events.add("registered " + expiresSeconds);
  }

  @Override
  public void registrationFailed(SipAccount account, SipFailure failure) {
    events.add("registrationFailed " + failure.describe());
  }

  @Override
  public void unregistered(SipAccount account) {
    events.add("unregistered");
  }

  @Override
  public void incomingCall(SipCall call, IncomingCall info) {
    lastIncoming = call;
    lastIncomingInfo = info;
    events.add("incomingCall " + info.caller().addressOfRecord());
  }

  @Override
  public void callRinging(SipCall call, int statusCode, String reason) {
    events.add("callRinging " + statusCode);
  }

  @Override
  public void callConnected(SipCall call) {
    events.add("callConnected");
  }

  @Override
  public void callFailed(SipCall call, SipFailure failure) {
    events.add("callFailed " + failure.describe());
  }

  @Override
  public void callEnded(SipCall call, CallEnd cause, String description) {
    endDescriptions.add(description);
    events.add("callEnded " + cause);
  }

  @Override
  public void dialogChanged(SipCall call) {
    dialogs.add(call.dialogRecord());
  }

  @Override
  public void callHoldChanged(SipCall call, boolean held, String description) {
    holds.add((held ? "held: " : "resumed: ") + description);
  }

  @Override
  public void transferAccepted(SipCall call) {
    events.add("transferAccepted");
  }

  @Override
  public void transferSucceeded(SipCall call) {
    events.add("transferSucceeded");
  }

  @Override
  public void transferFailed(SipCall call, SipFailure failure) {
    events.add("transferFailed " + failure.describe());
  }
}

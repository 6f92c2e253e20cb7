package org.sipline.testing;

import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;

/**
 * A misbehaving backend: the fake, except that a call that fails is first reported connected — as a
 * stack that took a 183 with SDP for an answer would. The line then records one status too many
 * (OUTGOING_CALL_CONNECTED before OUTGOING_CALL_FAILED), and everything else a case used to check
 * (the failure, its code, the line ready again) still holds.
 */
final class ConnectingBeforeFailingBackend implements SipBackend {
  private final SipBackend real;

  ConnectingBeforeFailingBackend(SipBackend real) {
    this.real = real;
  }

  @Override
  public String name() {
    return "connecting-before-failing";
  }

  @Override
  public BackendConfig config() {
    return real.config();
  }

  @Override
  public SipAccount register(AccountSpec account, SipEventListener listener) {
    return real.register(account, new ConnectingBeforeFailing(listener));
  }

  @Override
  public void close() {
    real.close();
  }

  /** Passes every event on, and a "connected" before each failure. */
  private static final class ConnectingBeforeFailing implements SipEventListener {
    private final SipEventListener line;

    ConnectingBeforeFailing(SipEventListener line) {
      this.line = line;
    }

    @Override
    public void callFailed(SipCall call, SipFailure failure) {
      line.callConnected(call);
      line.callFailed(call, failure);
    }

    @Override
    public void registered(SipAccount account, int expiresSeconds) {
      line.registered(account, expiresSeconds);
    }

    @Override
    public void registrationFailed(SipAccount account, SipFailure failure) {
      line.registrationFailed(account, failure);
    }

    @Override
    public void unregistered(SipAccount account) {
      line.unregistered(account);
    }

    @Override
    public void incomingCall(SipCall call, IncomingCall info) {
      line.incomingCall(call, info);
    }

    @Override
    public void callRinging(SipCall call, int statusCode, String reason) {
      line.callRinging(call, statusCode, reason);
    }

    @Override
    public void callConnected(SipCall call) {
      line.callConnected(call);
    }

    @Override
    public void callEnded(SipCall call, CallEnd cause, String description) {
      line.callEnded(call, cause, description);
    }

    @Override
    public void transferAccepted(SipCall call) {
      line.transferAccepted(call);
    }

    @Override
    public void transferSucceeded(SipCall call) {
      line.transferSucceeded(call);
    }

    @Override
    public void transferFailed(SipCall call, SipFailure failure) {
      line.transferFailed(call, failure);
    }
  }
}

package org.sipline.backend.jainsip;

import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account's listener behind a guard: an exception thrown by the listener is logged and goes no
 * further, so a faulty listener cannot break the SIP state the backend keeps.
 */
final class GuardedListener implements SipEventListener {
  private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);
  private final SipEventListener delegate;

  GuardedListener(SipEventListener delegate) {
    this.delegate = delegate;
  }

  private static void guard(String event, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("SipEventListener.{} threw", event, e);
    }
  }

  @Override
  public void registered(SipAccount account, int expiresSeconds) {
    guard("registered", () -> delegate.registered(account, expiresSeconds));
  }

  @Override
  public void registrationFailed(SipAccount account, SipFailure failure) {
    guard("registrationFailed", () -> delegate.registrationFailed(account, failure));
  }

  @Override
  public void unregistered(SipAccount account) {
    guard("unregistered", () -> delegate.unregistered(account));
  }

  @Override
  public void incomingCall(SipCall call, IncomingCall info) {
    guard("incomingCall", () -> delegate.incomingCall(call, info));
  }

  @Override
  public void callRinging(SipCall call, int statusCode, String reason) {
    guard("callRinging", () -> delegate.callRinging(call, statusCode, reason));
  }

  @Override
  public void callConnected(SipCall call) {
    guard("callConnected", () -> delegate.callConnected(call));
  }

  @Override
  public void dialogChanged(SipCall call) {
    guard("dialogChanged", () -> delegate.dialogChanged(call));
  }

  @Override
  public void callFailed(SipCall call, SipFailure failure) {
    guard("callFailed", () -> delegate.callFailed(call, failure));
  }

  @Override
  public void callEnded(SipCall call, CallEnd cause, String description) {
    guard("callEnded", () -> delegate.callEnded(call, cause, description));
  }

  @Override
  public void callHoldChanged(SipCall call, boolean held, String description) {
    guard("callHoldChanged", () -> delegate.callHoldChanged(call, held, description));
  }

  @Override
  public void transferAccepted(SipCall call) {
    guard("transferAccepted", () -> delegate.transferAccepted(call));
  }

  @Override
  public void transferSucceeded(SipCall call) {
    guard("transferSucceeded", () -> delegate.transferSucceeded(call));
  }

  @Override
  public void transferFailed(SipCall call, SipFailure failure) {
    guard("transferFailed", () -> delegate.transferFailed(call, failure));
  }
}

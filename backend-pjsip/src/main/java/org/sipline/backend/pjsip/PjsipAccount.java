package org.sipline.backend.pjsip;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/** One pjsua account, named by its shim handle; its events go to {@link #listener()}. */
final class PjsipAccount implements SipAccount {
  private final PjsipBackend backend;
  private final AccountSpec spec;
  private final SipEventListener listener;
  private final int handle;
  private final int requestedExpires;
  private volatile AccountState state = AccountState.REGISTERING;

  /** Failed refreshes in a row, for the backoff (drainer thread only). */
  private int refreshFailures;

  PjsipAccount(
      PjsipBackend backend,
      AccountSpec spec,
      SipEventListener listener,
      int handle,
      int requestedExpires) {
    this.backend = backend;
    this.spec = spec;
    this.listener = listener;
    this.handle = handle;
    this.requestedExpires = requestedExpires;
  }

  int handle() {
    return handle;
  }

  SipEventListener listener() {
    return listener;
  }

  int requestedExpires() {
    return requestedExpires;
  }

  AccountState state() {
    return state;
  }

  /** One more failed refresh in a row; returns how many there were. */
  int refreshFailed() {
    return ++refreshFailures;
  }

  void refreshSucceeded() {
    refreshFailures = 0;
  }

  /** Follows the account's events; once unregister() was called the account stays there. */
  void moveTo(AccountState next) {
    if (state != AccountState.UNREGISTERED) {
      state = next;
    }
  }

  @Override
  public AccountSpec spec() {
    return spec;
  }

  @Override
  public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(media, "media");
    return backend.placeCall(this, target, headers, media);
  }

  @Override
  public Optional<BindingRecord> binding() {
    return state == AccountState.REGISTERED ? backend.binding(this) : Optional.empty();
  }

  @Override
  public void unregister() {
    state = AccountState.UNREGISTERED;
    backend.unregister(this);
  }

  @Override
  public String toString() {
    return "PjsipAccount[" + spec.accountName() + "]";
  }
}

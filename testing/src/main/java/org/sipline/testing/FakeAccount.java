package org.sipline.testing;

import java.util.Map;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/** An account of the {@link FakeBackend}. */
final class FakeAccount implements SipAccount {
  private final FakeBackend backend;
  private final AccountSpec spec;
  final SipEventListener listener;
  volatile boolean bound;
  volatile boolean unregistered;

  FakeAccount(FakeBackend backend, AccountSpec spec, SipEventListener listener) {
    this.backend = backend;
    this.spec = spec;
    this.listener = listener;
  }

  @Override
  public AccountSpec spec() {
    return spec;
  }

  @Override
  public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
    FakeCall call = new FakeCall(backend, this, false, target, backend.scriptFor(target));
    call.sentHeaders = Map.copyOf(headers);
    call.media = media;
    backend.placed(call);
    call.dial();
    return call;
  }

  @Override
  public void unregister() {
    backend.unregister(this);
  }
}

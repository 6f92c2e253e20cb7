package org.sipline.backend.jainsip;

import java.util.Map;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/**
 * One account of the backend: its registration, and the calls placed and received in its name.
 * The public methods only queue work onto the SIP executor.
 */
final class JainSipAccount implements SipAccount {
  private final SipContext ctx;
  private final AccountSpec spec;
  private final GuardedListener listener;
  private final Registration registration;

  JainSipAccount(SipContext ctx, AccountSpec spec, SipEventListener listener) {
    this.ctx = ctx;
    this.spec = spec;
    this.listener = new GuardedListener(listener);
    this.registration = new Registration(ctx, this);
  }

  @Override
  public AccountSpec spec() {
    return spec;
  }

  GuardedListener listener() {
    return listener;
  }

  Registration registration() {
    return registration;
  }

  @Override
  public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
    throw new UnsupportedOperationException(
        "outgoing calls are not in this build of the jainsip backend yet");
  }

  @Override
  public void unregister() {
    ctx.executor.execute(registration::unregister);
  }

  @Override
  public String toString() {
    return "JainSipAccount[" + spec.accountName() + "]";
  }
}

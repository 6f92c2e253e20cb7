package org.sipline.backend.jainsip;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sip.header.Header;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/**
 * One account of the backend: its registration, and the calls placed and received in its name. The
 * public methods only queue work onto the SIP executor.
 */
final class JainSipAccount implements SipAccount {
  private final SipContext ctx;
  private final AccountSpec spec;
  private final GuardedListener listener;
  private final Registration registration;

  /** Calls whose dialog is not over yet; touched on the SIP executor only. */
  private final Set<JainSipCall> calls = new HashSet<>();

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

  /** The user part of our Contact: where a registrar or proxy sends this account's calls. */
  String contactUser() {
    return spec.aor().user() != null ? spec.aor().user() : spec.authUsername();
  }

  @Override
  public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(media, "media");
    ctx.requireOpen("call " + target);
    List<Header> extra = ExtraHeaders.parse(ctx, headers);
    OutgoingSipCall call = new OutgoingSipCall(ctx, this, target, extra, media);
    ctx.calls.add(call);
    ctx.executor.execute(
        () -> {
          calls.add(call);
          call.start();
        });
    return call;
  }

  @Override
  public Optional<BindingRecord> binding() {
    return Optional.ofNullable(registration.binding());
  }

  @Override
  public void unregister() {
    ctx.executor.execute(registration::unregister);
  }

  /**
   * Whether the account has as many calls not yet reported over as it may ring at once ({@link
   * AccountSpec#maxCalls()}; the core decides busy too, and alone for a shared account).
   */
  boolean hasCallInProgress() {
    int open = 0;
    for (JainSipCall c : calls) {
      if (!c.isOver() && ++open >= spec().maxCalls()) {
        return true;
      }
    }
    return false;
  }

  void added(JainSipCall call) {
    calls.add(call);
  }

  void callGone(JainSipCall call) {
    calls.remove(call);
  }

  @Override
  public String toString() {
    return "JainSipAccount[" + spec.accountName() + "]";
  }
}

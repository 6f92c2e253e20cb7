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

  /**
   * Calls whose dialog is not over and whose terminal event is not out yet; SIP executor only. A
   * set, so the busy check of an INVITE is its size, not a walk over every call of the account: a
   * trunk account shared by hundreds of lines holds hundreds of calls, and that walk was 4 % of the
   * process at 100 calls/s each way (BENCHMARKS.md §11).
   */
  private final Set<JainSipCall> open = new HashSet<>();

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
          try {
            added(call);
            call.start();
          } finally {
            call.inviteHandled().complete(null);
          }
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
    return open.size() >= spec.maxCalls();
  }

  /** A call of this account began (SIP executor). */
  void added(JainSipCall call) {
    if (!call.isOver()) {
      open.add(call);
    }
  }

  /** The call's terminal event went to the listener (SIP executor): it no longer counts as busy. */
  void callOver(JainSipCall call) {
    open.remove(call);
  }

  /** The call's dialog is over (SIP executor). */
  void callGone(JainSipCall call) {
    open.remove(call);
  }

  @Override
  public String toString() {
    return "JainSipAccount[" + spec.accountName() + "]";
  }
}

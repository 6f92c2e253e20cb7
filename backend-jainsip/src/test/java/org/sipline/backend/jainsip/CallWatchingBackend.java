package org.sipline.backend.jainsip;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.Capacity;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.FinalResponse;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/**
 * A real backend seen through the SPI, keeping every call a line places on it, so that a test
 * driving a core {@code Line} can read a call's live RTP figures (which the line itself only writes
 * into the record at the end) and wait on them.
 */
final class CallWatchingBackend implements SipBackend {
  private final SipBackend real;
  private final List<SipCall> placed = new CopyOnWriteArrayList<>();

  CallWatchingBackend(SipBackend real) {
    this.real = real;
  }

  /** The calls placed so far, oldest first. */
  List<SipCall> placed() {
    return List.copyOf(placed);
  }

  @Override
  public String name() {
    return real.name();
  }

  @Override
  public BackendConfig config() {
    return real.config();
  }

  @Override
  public SipAccount register(AccountSpec account, SipEventListener listener) {
    SipAccount inner = real.register(account, listener);
    return new SipAccount() {
      @Override
      public AccountSpec spec() {
        return inner.spec();
      }

      @Override
      public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
        SipCall call = inner.call(target, headers, media);
        placed.add(call);
        return call;
      }

      @Override
      public void unregister() {
        inner.unregister();
      }

      @Override
      public Optional<BindingRecord> binding() {
        return inner.binding();
      }
    };
  }

  @Override
  public void answerOptionsWith(Supplier<Capacity> capacity) {
    real.answerOptionsWith(capacity);
  }

  @Override
  public CompletableFuture<FinalResponse> endOrphanedDialog(DialogRecord dialog) {
    return real.endOrphanedDialog(dialog);
  }

  @Override
  public CompletableFuture<FinalResponse> removeBinding(
      BindingRecord binding, AccountSpec credentials) {
    return real.removeBinding(binding, credentials);
  }

  @Override
  public void close() {
    real.close();
  }
}

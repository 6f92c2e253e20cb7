package org.sipline.benchmarks.line;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/**
 * A backend whose registrar and far end answer at once, for driving a {@link org.sipline.core.Line}
 * into a connected call without a network, so that what is measured is the line itself. Events come
 * from one thread of their own, in the SPI's order, as from a real stack. Nothing pulls audio: no
 * pacer runs.
 *
 * <p>Why not sipline-testing's {@code FakeBackend}: it answers a REGISTER only after 5 ms and rings
 * its far ends on real-time timers, which would be measured too; and benchmarks ship no test
 * library in their jar.
 */
public final class InstantBackend implements SipBackend {
  private static final BackendConfig CONFIG = BackendConfig.loopback().build();

  private final ExecutorService events =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "instant-backend-events");
            t.setDaemon(true);
            return t;
          });

  @Override
  public String name() {
    return "instant";
  }

  /** Answers come at once; the default bounds only set the line's derived waits. */
  @Override
  public BackendConfig config() {
    return CONFIG;
  }

  @Override
  public SipAccount register(AccountSpec spec, SipEventListener listener) {
    Account account = new Account(spec, listener);
    events.execute(() -> listener.registered(account, 3600));
    return account;
  }

  @Override
  public void close() {
    events.shutdownNow();
  }

  private final class Account implements SipAccount {
    private final AccountSpec spec;
    private final SipEventListener listener;

    Account(AccountSpec spec, SipEventListener listener) {
      this.spec = spec;
      this.listener = listener;
    }

    @Override
    public AccountSpec spec() {
      return spec;
    }

    @Override
    public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
      Call call = new Call(this, target);
      events.execute(() -> listener.callConnected(call));
      return call;
    }

    @Override
    public void unregister() {
      events.execute(() -> listener.unregistered(this));
    }
  }

  private final class Call implements SipCall {
    private final Account account;
    private final SipUri remote;
    private boolean ended;

    Call(Account account, SipUri remote) {
      this.account = account;
      this.remote = remote;
    }

    @Override
    public String callId() {
      return "instant-" + System.identityHashCode(this);
    }

    @Override
    public boolean isIncoming() {
      return false;
    }

    @Override
    public SipUri remote() {
      return remote;
    }

    @Override
    public void answer(CallMedia media) {
      throw new IllegalStateException("answer on an outgoing call");
    }

    @Override
    public void reject(int statusCode, String reason) {
      throw new IllegalStateException("reject on an outgoing call");
    }

    @Override
    public void hangup() {
      end(CallEnd.LOCAL_BYE, "BYE answered 200 OK");
    }

    @Override
    public void terminate() {
      end(CallEnd.LOCAL_TERMINATE, "torn down locally");
    }

    @Override
    public void transfer(SipUri target, Map<String, String> headers) {
      throw new IllegalStateException("transfer is not part of these benchmarks");
    }

    private void end(CallEnd cause, String description) {
      events.execute(
          () -> {
            // Exactly one terminal event per call, however often it is asked to end.
            if (!ended) {
              ended = true;
              account.listener.callEnded(this, cause, description);
            }
          });
    }
  }
}

package org.sipline.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.FakeBackend;

/**
 * The {@link FakeBackend} behind a layer that fails the way a broken backend can: it throws after
 * the INVITE or REFER went out, or hands back a call whose Call-ID cannot be read. It counts what
 * reached the far end: every INVITE and every REFER that was sent, whatever happened after.
 */
final class FaultyBackend implements SipBackend {
  enum Fault {
    NONE,
    /** The INVITE is sent, then the backend throws (a transport that broke on the way back). */
    THROW_AFTER_INVITE,
    /** The INVITE is sent; the call handed back throws when asked for its Call-ID. */
    BROKEN_CALL_AFTER_INVITE,
    /** The REFER is sent, then the backend throws. */
    THROW_AFTER_REFER,
    /** The backend throws before sending anything. */
    THROW_BEFORE_SENDING
  }

  final FakeBackend fake = new FakeBackend();
  final AtomicInteger invites = new AtomicInteger();
  final AtomicInteger refers = new AtomicInteger();
  volatile Fault fault = Fault.NONE;
  private final Map<SipCall, Call> calls = new ConcurrentHashMap<>();
  private final Map<SipAccount, Account> accounts = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "faulty";
  }

  @Override
  public SipAccount register(AccountSpec account, SipEventListener listener) {
    Events events = new Events(listener);
    // The fake may report on the account before register returns: both find the same wrapper.
    return account(fake.register(account, events));
  }

  @Override
  public BackendConfig config() {
    return fake.config();
  }

  @Override
  public void close() {
    fake.close();
  }

  private Account account(SipAccount inner) {
    return accounts.computeIfAbsent(inner, Account::new);
  }

  private Call call(SipCall inner) {
    return calls.computeIfAbsent(inner, Call::new);
  }

  private final class Account implements SipAccount {
    private final SipAccount inner;

    Account(SipAccount inner) {
      this.inner = inner;
    }

    @Override
    public AccountSpec spec() {
      return inner.spec();
    }

    @Override
    public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
      Fault f = fault;
      if (f == Fault.THROW_BEFORE_SENDING) {
        throw new IllegalStateException("no route to the proxy; nothing sent");
      }
      Call c = FaultyBackend.this.call(inner.call(target, headers, media));
      invites.incrementAndGet();
      if (f == Fault.THROW_AFTER_INVITE) {
        throw new IllegalStateException("transport closed after the INVITE was sent");
      }
      c.broken = f == Fault.BROKEN_CALL_AFTER_INVITE;
      return c;
    }

    @Override
    public void unregister() {
      inner.unregister();
    }
  }

  private final class Call implements SipCall {
    private final SipCall inner;
    volatile boolean broken;

    Call(SipCall inner) {
      this.inner = inner;
    }

    @Override
    public String callId() {
      if (broken) {
        throw new IllegalStateException("Call-ID lost by the backend");
      }
      return inner.callId();
    }

    @Override
    public boolean isIncoming() {
      return inner.isIncoming();
    }

    @Override
    public SipUri remote() {
      return inner.remote();
    }

    @Override
    public void answer(CallMedia media) {
      inner.answer(media);
    }

    @Override
    public void reject(int statusCode, String reason) {
      inner.reject(statusCode, reason);
    }

    @Override
    public void hangup() {
      inner.hangup();
    }

    @Override
    public void terminate() {
      inner.terminate();
    }

    @Override
    public void transfer(SipUri target, Map<String, String> headers) {
      if (fault == Fault.THROW_BEFORE_SENDING) {
        throw new IllegalStateException("no route to the proxy; nothing sent");
      }
      inner.transfer(target, headers);
      refers.incrementAndGet();
      if (fault == Fault.THROW_AFTER_REFER) {
        throw new IllegalStateException("transport closed after the REFER was sent");
      }
    }

    @Override
    public String audioCodec() {
      return inner.audioCodec();
    }

    @Override
    public CompletableFuture<DtmfMethod> sendDtmf(char digit, int durationMillis) {
      return inner.sendDtmf(digit, durationMillis);
    }
  }

  /** The line's listener, told of this layer's calls and accounts instead of the fake's. */
  private final class Events implements SipEventListener {
    private final SipEventListener line;

    Events(SipEventListener line) {
      this.line = line;
    }

    @Override
    public void registered(SipAccount account, int expiresSeconds) {
      line.registered(account(account), expiresSeconds);
    }

    @Override
    public void registrationFailed(SipAccount account, SipFailure failure) {
      line.registrationFailed(account(account), failure);
    }

    @Override
    public void unregistered(SipAccount account) {
      line.unregistered(account(account));
    }

    @Override
    public void incomingCall(SipCall call, IncomingCall info) {
      line.incomingCall(call(call), info);
    }

    @Override
    public void callRinging(SipCall call, int statusCode, String reason) {
      line.callRinging(call(call), statusCode, reason);
    }

    @Override
    public void callConnected(SipCall call) {
      line.callConnected(call(call));
    }

    @Override
    public void callFailed(SipCall call, SipFailure failure) {
      line.callFailed(call(call), failure);
    }

    @Override
    public void callEnded(SipCall call, CallEnd cause, String description) {
      line.callEnded(call(call), cause, description);
    }

    @Override
    public void transferAccepted(SipCall call) {
      line.transferAccepted(call(call));
    }

    @Override
    public void transferSucceeded(SipCall call) {
      line.transferSucceeded(call(call));
    }

    @Override
    public void transferFailed(SipCall call, SipFailure failure) {
      line.transferFailed(call(call), failure);
    }
  }
}

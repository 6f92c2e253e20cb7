package org.sipline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/**
 * A whole backend in memory, with a scriptable registrar and far end, for driving a line through
 * every call in tests (jigasi's MockCall in spirit). It keeps the SPI's promises: events arrive on
 * another thread, in the documented order, exactly one terminal event per call; connected calls
 * pull 20 ms frames from their audio source in real time.
 *
 * <p>Registrar: accepts every account unless {@link #requirePassword} says otherwise; {@link
 * #silentRegistrar} makes it never answer. Far end: the callee's user part picks a script set with
 * {@link #script}; unknown callees answer. Media: in real time by default; with {@link
 * #manualMedia} the test drives every frame, injects the caller's audio, gaps and DTMF ({@link
 * FakeCall}).
 */
public final class FakeBackend implements SipBackend {
  /** One thread delivers every event, so per-account order holds as on a real stack. */
  final ScheduledExecutorService events =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fake-backend-events");
            t.setDaemon(true);
            return t;
          });

  /** Pulls audio of connected calls every 20 ms. */
  final ScheduledExecutorService media =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fake-backend-media");
            t.setDaemon(true);
            return t;
          });

  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, FakeScript> scripts = new ConcurrentHashMap<>();
  private final Map<String, short[]> talk = new ConcurrentHashMap<>();
  private final Map<String, FakeAccount> accounts = new ConcurrentHashMap<>();
  private final List<String> registrarLog = new CopyOnWriteArrayList<>();
  private final List<FakeCall> calls = new CopyOnWriteArrayList<>();
  private volatile boolean silentRegistrar;
  volatile boolean manualMedia;
  volatile String codec = "PCMU";
  volatile int audioRate = AudioFrames.SAMPLE_RATE;
  volatile CompletableFuture<Void> inviteHandled = CompletableFuture.completedFuture(null);
  private volatile int registrationExpires = 3600;
  private volatile boolean closed;

  /**
   * The fake answers at once or never, so it has no bounds of its own worth waiting for: 1 ms each,
   * which lets a test give the line any wait it likes.
   */
  private volatile BackendConfig config =
      BackendConfig.loopback()
          .registerTimeout(Duration.ofMillis(1))
          .transactionTimeout(Duration.ofMillis(1))
          .transferTimeout(Duration.ofMillis(1))
          .build();

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public BackendConfig config() {
    return config;
  }

  /**
   * The configuration the line sees, e.g. to test how its waits are derived.
   *
   * @param v the configuration
   * @return this backend
   */
  public FakeBackend config(BackendConfig v) {
    config = Objects.requireNonNull(v, "config");
    return this;
  }

  // ---- scripting ---------------------------------------------------------------------------

  /**
   * The registrar accepts {@code accountName} only with {@code password} (else 403 Forbidden).
   *
   * @param accountName the account, {@code user@host}
   * @param password the only password accepted
   * @return this backend
   */
  public FakeBackend requirePassword(String accountName, String password) {
    passwords.put(accountName, password);
    return this;
  }

  /**
   * The registrar never answers.
   *
   * @param silent true to leave every REGISTER unanswered
   * @return this backend
   */
  public FakeBackend silentRegistrar(boolean silent) {
    this.silentRegistrar = silent;
    return this;
  }

  /**
   * Connected calls no longer pull audio every 20 ms by themselves: the test is the pacer ({@link
   * FakeCall#tick}), so that media timing is exact and nothing waits on a clock.
   *
   * @return this backend
   */
  public FakeBackend manualMedia() {
    this.manualMedia = true;
    return this;
  }

  /**
   * The codec connected calls report ({@link FakeCall#audioCodec()}); PCMU unless set.
   *
   * @param encodingName the encoding name, as SDP writes it
   * @return this backend
   */
  public FakeBackend codec(String encodingName) {
    this.codec = encodingName;
    return this;
  }

  /**
   * The audio rate calls made from now on speak ({@link FakeCall#audioRate()}): 8000 unless set;
   * 16000 stands for a G.722 call, 48000 for Opus.
   *
   * @param rate a call rate (8000, 16000, 24000 or 48000)
   * @return this backend
   * @throws IllegalArgumentException for another rate
   */
  public FakeBackend audioRate(int rate) {
    this.audioRate = AudioFrames.checkRate(rate);
    return this;
  }

  /**
   * Calls made from now on say they acted on their INVITE ({@link FakeCall#inviteHandled()}) only
   * once {@code handled} completes, as a backend that sends the INVITE from a thread of its own
   * does; until this is called, at once.
   *
   * @param handled completed by the test when the INVITE counts as sent
   * @return this backend
   */
  public FakeBackend inviteHandledWhen(CompletableFuture<Void> handled) {
    this.inviteHandled = handled;
    return this;
  }

  /**
   * How a callee whose user part is {@code user} behaves.
   *
   * @param user the callee's user part
   * @param script what that far end does
   * @return this backend
   */
  public FakeBackend script(String user, FakeScript script) {
    scripts.put(user, script);
    return this;
  }

  /**
   * The far end {@code user} answers and, in real time from its answer on, sends {@code audio} (8
   * kHz PCM) to the line, then silence.
   *
   * @param user the callee's user part
   * @param audio what the far end says
   * @return this backend
   */
  public FakeBackend talkingFarEnd(String user, short[] audio) {
    scripts.put(user, FakeScript.answer());
    talk.put(user, audio.clone());
    return this;
  }

  /** What the far end {@code target} says once it answered, or null. */
  short[] talkFor(SipUri target) {
    return talk.get(target.user() == null ? "" : target.user());
  }

  FakeScript scriptFor(SipUri target) {
    return scripts.getOrDefault(target.user() == null ? "" : target.user(), FakeScript.answer());
  }

  // ---- observation -------------------------------------------------------------------------

  /**
   * What the registrar saw: "REGISTER alice@example.org expires=3600", ... in order.
   *
   * @return the registrar's log, a copy
   */
  public List<String> registrarLog() {
    return new ArrayList<>(registrarLog);
  }

  /**
   * Every call so far, outgoing and incoming, oldest first.
   *
   * @return the calls, a copy
   */
  public List<FakeCall> calls() {
    return new ArrayList<>(calls);
  }

  /**
   * The newest call, outgoing or incoming.
   *
   * @return the call, or null before the first
   */
  public FakeCall lastCall() {
    return calls.isEmpty() ? null : calls.get(calls.size() - 1);
  }

  /**
   * Whether the registrar holds a binding of the account.
   *
   * @param accountName the account, {@code user@host}
   * @return true while bound
   */
  public boolean isBound(String accountName) {
    FakeAccount a = accounts.get(accountName);
    return a != null && a.bound;
  }

  // ---- the far end calling in --------------------------------------------------------------

  /**
   * An INVITE from {@code caller} to {@code accountName} arrives now; the returned call is the
   * caller's view (cancel, BYE, outcome).
   *
   * @param accountName the account called
   * @param caller the caller's address
   * @param headers the INVITE's headers
   * @return the caller's view of the call
   */
  public FakeCall callIn(String accountName, SipUri caller, Map<String, String> headers) {
    FakeAccount account = accounts.get(accountName);
    if (account == null) {
      throw new IllegalStateException("no account " + accountName + " registered with the fake");
    }
    FakeCall call = new FakeCall(this, account, true, caller, FakeScript.answer());
    calls.add(call);
    events.execute(
        () -> account.listener.incomingCall(call, new IncomingCall(caller, "", headers)));
    return call;
  }

  // ---- SipBackend --------------------------------------------------------------------------

  @Override
  public SipAccount register(AccountSpec spec, SipEventListener listener) {
    if (closed) {
      throw new IllegalStateException("backend closed");
    }
    FakeAccount account = new FakeAccount(this, spec, listener);
    FakeAccount previous = accounts.putIfAbsent(spec.accountName(), account);
    if (previous != null && !previous.unregistered) {
      throw new IllegalStateException(spec.accountName() + " is already registered");
    }
    accounts.put(spec.accountName(), account);
    registrarLog.add("REGISTER " + spec.accountName() + " expires=" + registrationExpires);
    if (silentRegistrar) {
      return account;
    }
    String required = passwords.get(spec.accountName());
    // A listener that throws is the line's bug; the test then misses the status it awaits.
    var unused =
        events.schedule(
            () -> {
              if (required != null && !required.equals(spec.password())) {
                // A refused first REGISTER ends the account (SPI): it may be registered anew.
                account.unregistered = true;
                account.listener.registrationFailed(
                    account, org.sipline.core.spi.SipFailure.response(403, "Forbidden"));
              } else {
                account.bound = true;
                account.listener.registered(account, registrationExpires);
              }
            },
            5,
            TimeUnit.MILLISECONDS);
    return account;
  }

  void unregister(FakeAccount account) {
    registrarLog.add("REGISTER " + account.spec().accountName() + " expires=0");
    // A listener that throws is the line's bug; the test then misses the status it awaits.
    var unused =
        events.schedule(
            () -> {
              account.bound = false;
              account.unregistered = true;
              account.listener.unregistered(account);
            },
            5,
            TimeUnit.MILLISECONDS);
  }

  void placed(FakeCall call) {
    calls.add(call);
  }

  void later(Duration delay, Runnable r) {
    if (!events.isShutdown()) {
      // A listener that throws is the line's bug; the test then misses the status it awaits.
      var unused = events.schedule(r, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The port the fake's bindings name in their Contact (a restarted process gets another). */
  public volatile int contactPort = 5060;

  private final List<org.sipline.core.spi.DialogRecord> orphanByes = new CopyOnWriteArrayList<>();
  private final List<String> bindingRemovals = new CopyOnWriteArrayList<>();
  private volatile int orphanByeCode = 200;
  private volatile boolean challengeUnregister;

  /**
   * What the orphan BYEs are answered (0: never; the line's bound decides).
   *
   * @param code the final response's code, or 0
   * @return this backend
   */
  public FakeBackend orphanByeAnswer(int code) {
    orphanByeCode = code;
    return this;
  }

  /**
   * The registrar answers an un-REGISTER without credentials 401.
   *
   * @param v true to challenge
   * @return this backend
   */
  public FakeBackend challengeUnregister(boolean v) {
    challengeUnregister = v;
    return this;
  }

  /**
   * The dialogs BYE was sent to for a previous process, in order.
   *
   * @return the dialogs, a copy
   */
  public List<org.sipline.core.spi.DialogRecord> orphanByes() {
    return new ArrayList<>(orphanByes);
  }

  /**
   * "contact with|without credentials", per binding removal asked for, in order.
   *
   * @return the removals, a copy
   */
  public List<String> bindingRemovals() {
    return new ArrayList<>(bindingRemovals);
  }

  @Override
  public java.util.concurrent.CompletableFuture<org.sipline.core.spi.FinalResponse>
      endOrphanedDialog(org.sipline.core.spi.DialogRecord dialog) {
    orphanByes.add(dialog);
    var result = new java.util.concurrent.CompletableFuture<org.sipline.core.spi.FinalResponse>();
    int code = orphanByeCode;
    if (code != 0) {
      later(
          Duration.ofMillis(2),
          () ->
              result.complete(
                  new org.sipline.core.spi.FinalResponse(code, code == 200 ? "OK" : "Nope")));
    }
    return result;
  }

  @Override
  public java.util.concurrent.CompletableFuture<org.sipline.core.spi.FinalResponse> removeBinding(
      org.sipline.core.spi.BindingRecord binding, AccountSpec credentials) {
    bindingRemovals.add(
        binding.contact() + (credentials == null ? " without credentials" : " with credentials"));
    var result = new java.util.concurrent.CompletableFuture<org.sipline.core.spi.FinalResponse>();
    boolean challenged = challengeUnregister && credentials == null;
    later(
        Duration.ofMillis(2),
        () ->
            result.complete(
                challenged
                    ? new org.sipline.core.spi.FinalResponse(401, "Unauthorized")
                    : new org.sipline.core.spi.FinalResponse(200, "OK")));
    return result;
  }

  @Override
  public void close() {
    closed = true;
    for (FakeCall c : calls) {
      c.stopMedia();
    }
    events.shutdownNow();
    media.shutdownNow();
  }
}

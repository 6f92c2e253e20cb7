package org.sipline.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sipline.core.StatusRecorder.Facts;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts a line has registered (or is registering), and every change to them: REGISTER, its
 * verdict, refreshes failing and recovering, forgetting an account. Runs on the line's actor only.
 * Registration is independent of the line's {@link LineState}: accounts register in any state, and
 * one of them may be the active session.
 */
final class Registrations {
  private static final Logger log = LoggerFactory.getLogger(Registrations.class);

  private final SipBackend backend;
  private final LineWaits waits;
  private final ActorTimer timer;
  private final StatusRecorder recorder;
  private final Supplier<AccountEntry> session;
  private final BooleanSupplier inCall;
  private final Function<String, FailedPreconditionException> refusal;
  private final BiConsumer<AccountEntry, Integer> bound;
  private final Consumer<AccountEntry> unbound;
  private final Map<String, AccountEntry> accounts = new LinkedHashMap<>();

  /**
   * @param session the line's active session's account, or null
   * @param inCall whether the line has a call (a recovered registration is recorded only without)
   * @param refusal a refusal naming the line's state, for a request the state forbids
   * @param bound told of every binding a registrar confirmed, with its granted expiry in seconds
   * @param unbound told when an account's bindings are gone (un-REGISTER answered)
   */
  Registrations(
      SipBackend backend,
      LineWaits waits,
      ActorTimer timer,
      StatusRecorder recorder,
      Supplier<AccountEntry> session,
      BooleanSupplier inCall,
      Function<String, FailedPreconditionException> refusal,
      BiConsumer<AccountEntry, Integer> bound,
      Consumer<AccountEntry> unbound) {
    this.backend = backend;
    this.waits = waits;
    this.timer = timer;
    this.recorder = recorder;
    this.session = session;
    this.inCall = inCall;
    this.refusal = refusal;
    this.bound = bound;
    this.unbound = unbound;
  }

  /** The account named so, or null. */
  AccountEntry get(String accountName) {
    return accounts.get(accountName);
  }

  /**
   * SipRegisterAccount: REGISTERED or SESSION_REGISTRATION_FAILED once the registrar decided.
   *
   * @param events the listener the backend reports the account's events to
   */
  CompletableFuture<LineStatus> register(
      AccountSpec spec, Function<AccountEntry, SipEventListener> events) {
    AccountEntry existing = accounts.get(spec.accountName());
    if (existing != null) {
      if (existing.firstRegistration != null && existing.spec.equals(spec)) {
        return existing.firstRegistration; // the same REGISTER is under way: share its verdict
      }
      if (existing.registered && existing.spec.equals(spec)) {
        return CompletableFuture.completedFuture(
            recorder.answer(StatusType.REGISTERED, facts(existing), "already registered"));
      }
      if (existing == session.get()) {
        throw refusal.apply(
            "account "
                + spec.accountName()
                + " is the active session: call SipEndSession before registering it anew");
      }
      forget(existing);
      existing.handle.unregister();
    }
    AccountEntry entry = new AccountEntry(spec);
    entry.firstRegistration = new CompletableFuture<>();
    accounts.put(spec.accountName(), entry);
    SipEventListener listener = events.apply(entry);
    try {
      entry.handle = backend.register(spec, listener);
    } catch (RuntimeException e) {
      accounts.remove(spec.accountName());
      return CompletableFuture.completedFuture(
          recorder.record(
              StatusType.SESSION_REGISTRATION_FAILED,
              facts(entry),
              "REGISTER " + spec.aor() + " could not be sent: " + e.getMessage(),
              e));
    }
    // The wait for a verdict starts when the REGISTER leaves, not while it waits for its turn
    // under the process's --register-rate.
    Trunk.whenSent(entry.handle, () -> timer.now(() -> awaitFirstVerdict(entry)));
    return entry.firstRegistration;
  }

  private void awaitFirstVerdict(AccountEntry entry) {
    if (entry.firstRegistration == null || accounts.get(entry.name()) != entry) {
      return; // answered or forgotten already
    }
    entry.registrationTimer =
        timer.after(
            waits.register(),
            () -> {
              if (entry.firstRegistration != null) {
                failed(
                    entry,
                    SipFailure.noResponse(
                        "no answer from the registrar within "
                            + waits.register().toSeconds()
                            + " s"));
                entry.handle.unregister();
              }
            });
  }

  /** Drops {@code entry}: its events are ignored from now on. */
  void forget(AccountEntry entry) {
    accounts.remove(entry.name(), entry);
    if (entry.registrationTimer != null) {
      entry.registrationTimer.cancel(false);
    }
  }

  /** The registrar accepted a REGISTER of {@code entry}: its first one or a refresh. */
  void registered(AccountEntry entry, int expires) {
    if (accounts.get(entry.name()) != entry) {
      return; // an account replaced or forgotten meanwhile
    }
    boolean wasRegistered = entry.registered;
    entry.registered = true;
    bound.accept(entry, expires);
    Facts facts = facts(entry);
    if (entry.firstRegistration != null) {
      if (entry.registrationTimer != null) {
        entry.registrationTimer.cancel(false);
      }
      CompletableFuture<LineStatus> first = entry.firstRegistration;
      entry.firstRegistration = null;
      first.complete(
          recorder.record(
              StatusType.REGISTERED,
              facts,
              "REGISTER " + entry.spec.aor() + ": 200 OK, binding for " + expires + " s",
              null));
    } else if (!wasRegistered && !inCall.getAsBoolean()) {
      recorder.record(
          StatusType.REGISTERED,
          facts,
          "REGISTER "
              + entry.spec.aor()
              + ": registration recovered, binding for "
              + expires
              + " s",
          null);
      if (session.get() == entry) {
        recorder.record(
            StatusType.READY, facts, "session " + entry.name() + " is ready again", null);
      }
    }
  }

  /** A REGISTER of {@code entry} failed: its first one (the account is forgotten) or a refresh. */
  void failed(AccountEntry entry, SipFailure failure) {
    if (accounts.get(entry.name()) != entry) {
      return;
    }
    Facts facts = facts(entry);
    String what = "REGISTER " + entry.spec.aor() + ": " + failure.describe();
    if (entry.firstRegistration != null) {
      CompletableFuture<LineStatus> first = entry.firstRegistration;
      entry.firstRegistration = null;
      forget(entry);
      first.complete(
          recorder.record(StatusType.SESSION_REGISTRATION_FAILED, facts, what, failure.cause()));
      return;
    }
    boolean wasRegistered = entry.registered;
    entry.registered = false;
    if (wasRegistered && !inCall.getAsBoolean()) {
      // A refresh failed: the backend keeps retrying; say so once, not on every retry.
      recorder.record(
          StatusType.SESSION_REGISTRATION_FAILED,
          facts,
          what + " (refresh failed; retrying)",
          failure.cause());
    } else {
      log.warn("{} (refresh failed during a call; retrying)", what);
    }
  }

  /** The un-REGISTER of {@code entry} was answered. */
  void unregistered(AccountEntry entry) {
    unbound.accept(entry);
    if (entry.unregistered != null) {
      entry.unregistered.complete(null);
    }
  }

  /** Sends Expires: 0 for every account not yet un-REGISTERed; completes when all answered. */
  CompletableFuture<Void> unregisterAll() {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (AccountEntry entry : new ArrayList<>(accounts.values())) {
      if (entry.unregistered == null) {
        entry.unregistered = new CompletableFuture<>();
        entry.handle.unregister();
      }
      pending.add(entry.unregistered);
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
  }

  /** The line closes: a REGISTER still awaiting its verdict fails with {@code why}. */
  void close(Supplier<FailedPreconditionException> why) {
    for (AccountEntry entry : accounts.values()) {
      if (entry.firstRegistration != null) {
        entry.firstRegistration.completeExceptionally(why.get());
      }
      if (entry.registrationTimer != null) {
        entry.registrationTimer.cancel(false);
      }
    }
  }

  private static Facts facts(AccountEntry entry) {
    return new Facts(entry.name(), "", "", Map.of(), "");
  }
}

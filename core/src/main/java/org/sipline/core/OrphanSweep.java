package org.sipline.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sipline.core.SipStateJournal.LeftBinding;
import org.sipline.core.SipStateJournal.LeftDialog;
import org.sipline.core.StatusRecorder.Facts;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.FinalResponse;
import org.sipline.core.spi.SipBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart, ends what the previous process left on the network (its {@link
 * SipStateJournal}): a BYE to each dialog it did not end, a REGISTER with Expires: 0 for each
 * binding it did not remove. Each outcome is a status entry of the type the line is in (the line's
 * state does not change; the history says what happened to the orphan), and the record leaves the
 * journal once dealt with, so a ghost gets one BYE from one restart, not one per restart. A call
 * ended so gets its call record then ({@link org.sipline.core.records.CallEnding#CRASH}), once; one
 * whose record is skipped gets none, as nothing in it can be trusted.
 *
 * <p>A binding's un-REGISTER is sent at once without credentials (the record holds none); a
 * registrar that challenges it gets it again, answered, when the line registers the same account
 * with its password. Runs on the line's actor.
 */
final class OrphanSweep {
  private static final Logger log = LoggerFactory.getLogger(OrphanSweep.class);

  /** More dialog records than this in one line's journal is not a crash's leftover. */
  static final int MAX_DIALOGS = 32;

  /** Beyond the backend's own bound, so its verdict (or its timeout) is what gets recorded. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final SipBackend backend;
  private final SipStateJournal journal;
  private final StatusRecorder recorder;
  private final Executor actor;
  private final Clock clock;
  private final Supplier<Boolean> closed;
  private final CallRecordWriter records;

  /** Bindings whose registrar wants credentials: removed when their account is registered. */
  private final List<LeftBinding> challenged = new ArrayList<>();

  OrphanSweep(
      SipBackend backend,
      SipStateJournal journal,
      StatusRecorder recorder,
      Executor actor,
      Clock clock,
      Supplier<Boolean> closed,
      CallRecordWriter records) {
    this.backend = backend;
    this.journal = journal;
    this.recorder = recorder;
    this.actor = actor;
    this.clock = clock;
    this.closed = closed;
    this.records = records;
  }

  /** Deals with every leftover; on the actor. */
  void start() {
    SipStateJournal.Leftovers left = journal.leftovers();
    for (String problem : left.problems()) {
      note(Facts.NONE, "a record left by the previous process was skipped: " + problem);
    }
    Instant now = clock.instant();
    int n = 0;
    for (LeftDialog d : left.dialogs()) {
      if (++n > MAX_DIALOGS) {
        skipDialog(d, "more than " + MAX_DIALOGS + " dialog records in one line's journal");
        continue;
      }
      String problem = OrphanCheck.problem(d.dialog(), d.time(), now);
      if (problem != null) {
        skipDialog(d, problem);
      } else {
        endDialog(d);
      }
    }
    for (LeftBinding b : left.bindings()) {
      Instant expiry = b.time().plusSeconds(b.expires());
      if (!expiry.isAfter(now)) {
        log.info(
            "binding {} of {} left by the previous process expired at {}; nothing to remove",
            b.binding().contact(),
            b.binding().aor(),
            expiry);
        journal.bindingEnded(b.binding());
        continue;
      }
      removeBinding(b, null);
    }
  }

  private void skipDialog(LeftDialog d, String problem) {
    journal.dialogEnded(d.dialog().callId());
    note(
        facts(d),
        "no BYE for call "
            + d.dialog().callId()
            + " left by the previous process: its record was skipped ("
            + problem
            + ")");
  }

  private void endDialog(LeftDialog d) {
    String callId = d.dialog().callId();
    log.info(
        "Call-ID {}: left up by the previous process; sending BYE to {}",
        callId,
        d.dialog().farEnd());
    whenDone(
        () -> backend.endOrphanedDialog(d.dialog()),
        outcome -> {
          journal.dialogEnded(callId);
          String what =
              "left by the previous process: BYE to "
                  + d.dialog().farEnd()
                  + " answered "
                  + outcome.describe();
          note(facts(d), "ended call " + callId + " " + what);
          // Beside the journal's end of the dialog, so that one restart writes it and the next,
          // finding no dialog, does not.
          records.leftByCrash(
              d.account(), d.dialog(), d.time(), "the process died with the call up; " + what);
        });
  }

  private void removeBinding(LeftBinding b, AccountSpec credentials) {
    BindingRecord binding = b.binding();
    whenDone(
        () -> backend.removeBinding(binding, credentials),
        outcome -> {
          if (outcome.isChallenge() && credentials == null) {
            challenged.add(b);
            note(
                accountFacts(b),
                "binding "
                    + binding.contact()
                    + " of "
                    + binding.aor()
                    + " left by the previous process: REGISTER Expires: 0 answered "
                    + outcome.describe()
                    + "; removed once "
                    + b.account()
                    + " is registered again");
            return;
          }
          journal.bindingEnded(binding);
          note(
              accountFacts(b),
              (outcome.isSuccess() ? "removed binding " : "binding ")
                  + binding.contact()
                  + " of "
                  + binding.aor()
                  + " left by the previous process: REGISTER Expires: 0 answered "
                  + outcome.describe());
        });
  }

  /**
   * The line registered {@code spec}: bindings of the same account that a registrar refused to
   * remove without credentials are removed now with them; one whose Contact is the new binding's
   * was simply taken over.
   */
  void accountRegistered(AccountSpec spec, BindingRecord current) {
    for (LeftBinding b : List.copyOf(challenged)) {
      if (!b.account().equals(spec.accountName()) || !sameRegistrar(b.binding(), spec)) {
        continue; // the password answers only the registrar (and proxy) the account uses
      }
      challenged.remove(b);
      if (current != null && current.contact().equals(b.binding().contact())) {
        journal.bindingEnded(b.binding());
        continue;
      }
      removeBinding(b, spec);
    }
  }

  private static boolean sameRegistrar(BindingRecord b, AccountSpec spec) {
    String proxy = spec.outboundProxy() == null ? "" : spec.outboundProxy().toString();
    return b.aor().equals(spec.aor().toString()) && b.outboundProxy().equals(proxy);
  }

  /**
   * Runs {@code request} and hands its outcome to {@code done} on the actor, bounded: a backend
   * that cannot, fails, or stays silent past its own bound is an outcome too.
   */
  private void whenDone(
      Supplier<CompletableFuture<FinalResponse>> request, Consumer<FinalResponse> done) {
    CompletableFuture<FinalResponse> sent;
    try {
      sent = request.get();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    Duration bound = backend.config().transactionTimeout().plus(MARGIN);
    // The callback's own failures are the actor's to report; nothing else observes it.
    var unused =
        sent.completeOnTimeout(
                FinalResponse.none("no answer within " + bound.toSeconds() + " s"),
                bound.toMillis(),
                TimeUnit.MILLISECONDS)
            .handle(
                (r, e) ->
                    e == null ? r : FinalResponse.none("not sent: " + unwrapped(e).getMessage()))
            .thenAccept(
                outcome -> {
                  try {
                    actor.execute(
                        () -> {
                          if (!closed.get()) {
                            done.accept(outcome);
                          }
                        });
                  } catch (RejectedExecutionException e) {
                    log.info("line closed before an orphan's outcome arrived: {}", outcome);
                  }
                });
  }

  private static Throwable unwrapped(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** A status of the line's current type: the line's state is unchanged, the description says. */
  private void note(Facts facts, String description) {
    LineStatus latest = recorder.latest();
    String account = facts.account().isEmpty() ? latest.accountName() : facts.account();
    recorder.record(
        latest.type(), new Facts(account, facts.callee(), "", Map.of(), ""), description, null);
  }

  private static Facts facts(LeftDialog d) {
    String remote = d.dialog().remoteUri();
    int colon = remote.indexOf(':');
    return new Facts(
        d.account(), colon >= 0 ? remote.substring(colon + 1) : remote, "", Map.of(), "");
  }

  private static Facts accountFacts(LeftBinding b) {
    return new Facts(b.account(), "", "", Map.of(), "");
  }
}

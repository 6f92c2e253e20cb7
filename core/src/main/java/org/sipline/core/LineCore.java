package org.sipline.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sipline.core.StatusRecorder.Facts;
import org.sipline.core.media.CallAudio;
import org.sipline.core.media.LineMedia;
import org.sipline.core.media.MediaHub;
import org.sipline.core.media.PlaybackResult;
import org.sipline.core.records.CallDirection;
import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallRecord;
import org.sipline.core.records.CallSide;
import org.sipline.core.records.EModel;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line's state and every change to it. Each method here runs on the line's actor (the {@link
 * SerialExecutor}), commands and backend events alike, so state is plain fields and a remote BYE
 * can never race a local hangup: whichever is queued first wins, the other finds the call gone.
 */
final class LineCore {
  private static final Logger log = LoggerFactory.getLogger(LineCore.class);

  private final SipBackend backend;
  private final LineConfig config;
  private final LineWaits waits;
  private final SerialExecutor actor;
  private final LineRuntime runtime;
  private final StatusRecorder recorder;
  private final MediaHub media;

  /** Lines are offered a shared account's INVITEs in the order they were created. */
  private static final AtomicLong RANKS = new AtomicLong();

  private final long rank = RANKS.incrementAndGet();

  private final Map<String, AccountEntry> accounts = new LinkedHashMap<>();

  // Written only on the actor; volatile because isFree() and inCall() read them from other threads
  // (the switchboard choosing a line, OPTIONS, the lines service).

  /** The active session's account, or null. */
  private volatile AccountEntry session;

  /** Set while SipEndSession hangs up and un-REGISTERs: no new calls in or out meanwhile. */
  private volatile boolean sessionEnding;

  private int autoAnswerSeconds;
  private volatile ActiveCall call;
  private volatile boolean closed;

  /** Set once shutdown began: our own endings of calls from now on are the shutdown's. */
  private boolean shuttingDown;

  LineCore(
      SipBackend backend,
      LineConfig config,
      LineWaits waits,
      LineRuntime runtime,
      StatusRecorder recorder) {
    this.backend = backend;
    this.config = config;
    this.waits = waits;
    this.runtime = runtime;
    this.actor = new SerialExecutor(runtime.workers());
    this.recorder = recorder;
    this.media =
        new MediaHub(
            actor,
            runtime.timer(),
            config.mediaResumeGrace(),
            config.mediaDetachPolicy(),
            () -> recorder.latest().type(),
            audio -> actor.execute(() -> mediaClientGone(audio)));
  }

  LineMedia media() {
    return media;
  }

  // ---- plumbing ---------------------------------------------------------------------------

  /** Runs {@code task} on the actor; its future's outcome becomes the returned future's. */
  <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    actor.execute(
        () -> {
          if (closed) {
            result.completeExceptionally(
                new FailedPreconditionException(recorder.latest().type(), "the line is closed"));
            return;
          }
          try {
            // The callback only completes result, which the caller observes.
            var unused =
                task.get()
                    .whenComplete(
                        (v, e) -> {
                          if (e != null) {
                            result.completeExceptionally(e);
                          } else {
                            result.complete(v);
                          }
                        });
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private ScheduledFuture<?> after(Duration delay, Runnable onActor) {
    return runtime
        .timer()
        .schedule(() -> actor.execute(onActor), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private Facts sessionFacts() {
    return new Facts(session == null ? "" : session.name(), "", "", Map.of(), "");
  }

  private Facts callFacts(ActiveCall c) {
    return new Facts(
        session == null ? "" : session.name(),
        c.remote,
        c.transferTarget,
        c.headers,
        c.nluSessionName);
  }

  private LineStatus record(StatusType type, Facts facts, String description) {
    return recorder.record(type, facts, description, null);
  }

  private LineStatus noSession(String what) {
    return recorder.answer(
        StatusType.NO_SESSION,
        Facts.NONE,
        "no active session: call SipRegisterAccount and SipStartSession before " + what);
  }

  private LineStatus noCall(String what) {
    return recorder.answer(
        StatusType.NO_ONGOING_CALL,
        sessionFacts(),
        "no ongoing call: call SipStartCall (or wait for an incoming call) before " + what);
  }

  StatusType current() {
    return recorder.latest().type();
  }

  // ---- registration ----------------------------------------------------------------------

  CompletableFuture<LineStatus> register(AccountSpec spec) {
    AccountEntry existing = accounts.get(spec.accountName());
    if (existing != null) {
      if (existing.firstRegistration != null && existing.spec.equals(spec)) {
        return existing.firstRegistration; // the same REGISTER is under way: share its verdict
      }
      if (existing.registered && existing.spec.equals(spec)) {
        return done(
            recorder.answer(
                StatusType.REGISTERED,
                new Facts(spec.accountName(), "", "", Map.of(), ""),
                "already registered"));
      }
      if (existing == session) {
        throw new FailedPreconditionException(
            current(),
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
    try {
      entry.handle = backend.register(spec, new AccountEvents(entry));
    } catch (RuntimeException e) {
      accounts.remove(spec.accountName());
      return done(
          recorder.record(
              StatusType.SESSION_REGISTRATION_FAILED,
              new Facts(spec.accountName(), "", "", Map.of(), ""),
              "REGISTER " + spec.aor() + " could not be sent: " + e.getMessage(),
              e));
    }
    entry.registrationTimer =
        after(
            waits.register(),
            () -> {
              if (entry.firstRegistration != null) {
                registrationFailed(
                    entry,
                    SipFailure.noResponse(
                        "no answer from the registrar within "
                            + waits.register().toSeconds()
                            + " s"));
                entry.handle.unregister();
              }
            });
    return entry.firstRegistration;
  }

  private void forget(AccountEntry entry) {
    accounts.remove(entry.name(), entry);
    if (entry.registrationTimer != null) {
      entry.registrationTimer.cancel(false);
    }
    if (session == entry) {
      session = null;
    }
  }

  private void registered(AccountEntry entry, int expires) {
    if (accounts.get(entry.name()) != entry) {
      return; // an account replaced or forgotten meanwhile
    }
    boolean wasRegistered = entry.registered;
    entry.registered = true;
    Facts facts = new Facts(entry.name(), "", "", Map.of(), "");
    if (entry.firstRegistration != null) {
      entry.registrationTimer.cancel(false);
      CompletableFuture<LineStatus> first = entry.firstRegistration;
      entry.firstRegistration = null;
      first.complete(
          record(
              StatusType.REGISTERED,
              facts,
              "REGISTER " + entry.spec.aor() + ": 200 OK, binding for " + expires + " s"));
    } else if (!wasRegistered && call == null) {
      record(
          StatusType.REGISTERED,
          facts,
          "REGISTER "
              + entry.spec.aor()
              + ": registration recovered, binding for "
              + expires
              + " s");
      if (session == entry) {
        record(StatusType.READY, facts, "session " + entry.name() + " is ready again");
      }
    }
  }

  private void registrationFailed(AccountEntry entry, SipFailure failure) {
    if (accounts.get(entry.name()) != entry) {
      return;
    }
    Facts facts = new Facts(entry.name(), "", "", Map.of(), "");
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
    if (wasRegistered && call == null) {
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

  boolean isRegistered() {
    AccountEntry s = session;
    return s != null && s.registered;
  }

  boolean inCall() {
    return call != null;
  }

  boolean isFree() {
    return session != null && !sessionEnding && call == null && !closed;
  }

  // ---- session ---------------------------------------------------------------------------

  CompletableFuture<LineStatus> startSession(String accountName, int interval) {
    if (sessionEnding) {
      throw new FailedPreconditionException(
          current(), "session " + session.name() + " is ending; wait for SESSION_ENDED");
    }
    AccountEntry entry = accounts.get(accountName);
    if (entry == null || entry.firstRegistration != null) {
      throw new FailedPreconditionException(
          current(),
          "account "
              + accountName
              + (entry == null
                  ? " was never registered: call SipRegisterAccount first"
                  : " is still registering"));
    }
    if (!entry.registered) {
      throw new FailedPreconditionException(
          current(), "account " + accountName + " is not registered (its last REGISTER failed)");
    }
    if (session == entry) {
      autoAnswerSeconds = interval;
      return done(recorder.latest());
    }
    if (call != null) {
      throw new FailedPreconditionException(
          current(), "a call is ongoing in session " + session.name() + ": end it first");
    }
    session = entry;
    autoAnswerSeconds = interval;
    Facts facts = sessionFacts();
    LineStatus started =
        record(
            StatusType.SESSION_STARTED,
            facts,
            "session "
                + accountName
                + " started; incoming calls answered after "
                + interval
                + " s");
    record(StatusType.READY, facts, "ready for calls");
    return done(started);
  }

  CompletableFuture<LineStatus> endSession() {
    if (session == null) {
      return done(noSession("SipEndSession"));
    }
    sessionEnding = true;
    CompletableFuture<Void> hungUp = call == null ? done(null) : softHangupFuture();
    return hungUp.thenComposeAsync(v -> unregisterSession(), actor);
  }

  private CompletableFuture<LineStatus> unregisterSession() {
    AccountEntry entry = session;
    if (entry == null) {
      return done(recorder.latest()); // ended meanwhile by a concurrent SipEndSession
    }
    if (entry.unregistered == null) {
      entry.unregistered = new CompletableFuture<>();
      entry.handle.unregister();
      ScheduledFuture<?> bound = after(waits.register(), () -> entry.unregistered.complete(null));
      // Cancelling a timer cannot fail: nothing to observe.
      var unused = entry.unregistered.whenComplete((v, e) -> bound.cancel(false));
    }
    return entry.unregistered.thenApplyAsync(
        v -> {
          sessionEnding = false;
          if (session != entry) {
            return recorder.latest();
          }
          Facts facts = sessionFacts();
          forget(entry);
          LineStatus ended =
              record(
                  StatusType.SESSION_ENDED,
                  facts,
                  "session "
                      + entry.name()
                      + " ended; REGISTER "
                      + entry.spec.aor()
                      + " Expires: 0 sent");
          record(StatusType.NO_SESSION, facts, "no session");
          return ended;
        },
        actor);
  }

  // ---- outgoing calls --------------------------------------------------------------------

  CompletableFuture<LineStatus> startCall(String calleeId, Map<String, String> headers) {
    if (session == null) {
      return done(noSession("SipStartCall"));
    }
    if (call != null) {
      throw new FailedPreconditionException(
          current(), "a call with " + call.remote + " is ongoing (Call-ID " + call.callId() + ")");
    }
    if (sessionEnding) {
      throw new FailedPreconditionException(
          current(), "session " + session.name() + " is ending; no new calls");
    }
    SipUri target = SipAddresses.parseTarget("callee_id", calleeId, session.spec.aor());
    CallAudio audio = media.newCall(false, target.addressOfRecord());
    SipCall sip;
    try {
      sip = session.handle.call(target, headers, audio.media());
    } catch (RuntimeException e) {
      audio.ended(0, "INVITE could not be sent");
      Facts facts = new Facts(session.name(), target.addressOfRecord(), "", headers, "");
      LineStatus failed =
          recorder.record(
              StatusType.OUTGOING_CALL_FAILED,
              facts,
              "INVITE " + target + " could not be sent: " + e.getMessage(),
              e);
      record(StatusType.READY, sessionFacts(), "ready for calls");
      return done(failed);
    }
    ActiveCall c =
        new ActiveCall(
            sip,
            false,
            target.addressOfRecord(),
            headers,
            nluName(sip.callId(), target.addressOfRecord()),
            audio,
            CallPhase.DIALING,
            session.name(),
            config.clock().instant());
    audio.bind(sip);
    call = c;
    c.timer = after(waits.callSetup(), () -> setupExpired(c));
    return done(
        record(
            StatusType.OUTGOING_CALL_INITIATED,
            callFacts(c),
            "INVITE " + target + " sent, Call-ID " + sip.callId()));
  }

  private String nluName(String callId, String remote) {
    return config
        .nluSessionTemplate()
        .replace("{callId}", callId)
        .replace("{account}", session == null ? "" : session.name())
        .replace("{remote}", remote);
  }

  private void setupExpired(ActiveCall c) {
    if (call != c || c.phase().isUp() || c.phase() == CallPhase.HANGING_UP) {
      return;
    }
    log.warn(
        "Call-ID {}: not connected within {} s, tearing down",
        c.callId(),
        waits.callSetup().toSeconds());
    c.sip.terminate();
    String what = "not connected within " + waits.callSetup().toSeconds() + " s";
    finish(
        c,
        c.incoming ? StatusType.INCOMING_CALL_FAILED : StatusType.OUTGOING_CALL_FAILED,
        what,
        null,
        CallOutcome.local(CallEnding.TIMEOUT, 0, what));
  }

  // ---- incoming calls --------------------------------------------------------------------

  /**
   * An INVITE for {@code entry} offered by the switchboard: taken (it rings here) when {@code
   * entry} is the active session, not ending, and the line has no call; otherwise declined, and the
   * switchboard offers it to the next line. Nothing is sent on a decline.
   */
  private Switchboard.Verdict offered(AccountEntry entry, SipCall sip, IncomingCall info) {
    if (closed || session != entry || sessionEnding) {
      return Switchboard.Verdict.NO_SESSION;
    }
    if (call != null) {
      return Switchboard.Verdict.BUSY;
    }
    incoming(entry, sip, info);
    return Switchboard.Verdict.TAKEN;
  }

  private void incoming(AccountEntry entry, SipCall sip, IncomingCall info) {
    if (session != entry || sessionEnding) {
      log.info(
          "INVITE from {} Call-ID {}: no active session for {}, 480",
          info.caller(),
          sip.callId(),
          entry.name());
      sip.reject(480, "Temporarily Unavailable");
      rejected(entry, sip, info, 480, "Temporarily Unavailable", "no active session");
      return;
    }
    if (call != null) {
      log.info(
          "INVITE from {} Call-ID {}: busy with Call-ID {}, 486",
          info.caller(),
          sip.callId(),
          call.callId());
      sip.reject(486, "Busy Here");
      rejected(entry, sip, info, 486, "Busy Here", "busy with Call-ID " + call.callId());
      return;
    }
    String caller = info.caller().addressOfRecord();
    CallAudio audio = media.newCall(true, caller);
    audio.bind(sip);
    ActiveCall c =
        new ActiveCall(
            sip,
            true,
            caller,
            info.headers(),
            nluName(sip.callId(), caller),
            audio,
            CallPhase.RINGING,
            entry.name(),
            config.clock().instant());
    call = c;
    record(
        StatusType.INCOMING_CALL_INITIATED,
        callFacts(c),
        "INVITE from "
            + info.caller()
            + ", Call-ID "
            + sip.callId()
            + "; answering in "
            + autoAnswerSeconds
            + " s");
    Runnable answer = () -> answer(c);
    if (autoAnswerSeconds == 0) {
      answer.run();
    } else {
      c.timer = after(Duration.ofSeconds(autoAnswerSeconds), answer);
    }
  }

  private void answer(ActiveCall c) {
    if (call != c || c.phase() != CallPhase.RINGING) {
      return;
    }
    c.moveTo(CallPhase.ANSWERING);
    c.timer = after(waits.callSetup(), () -> setupExpired(c));
    try {
      c.sip.answer(c.audio.media());
    } catch (RuntimeException e) {
      c.sip.terminate();
      String what = "200 OK could not be sent: " + e.getMessage();
      finish(
          c,
          StatusType.INCOMING_CALL_FAILED,
          what,
          e,
          CallOutcome.local(CallEnding.ERROR, 0, what));
    }
  }

  // ---- call events -----------------------------------------------------------------------

  private void connected(SipCall sip) {
    ActiveCall c = call;
    if (c == null || c.sip != sip || c.phase().isUp() || c.phase() == CallPhase.HANGING_UP) {
      return;
    }
    c.cancelTimers();
    c.moveTo(CallPhase.CONNECTED);
    c.answered = config.clock().instant();
    c.codec = c.sip.audioCodec();
    c.audio.connected();
    record(
        c.incoming ? StatusType.INCOMING_CALL_CONNECTED : StatusType.OUTGOING_CALL_CONNECTED,
        callFacts(c),
        "call with " + c.remote + " connected, Call-ID " + c.callId());
  }

  /**
   * The far end held or resumed the call: the line stays connected, its status says so, and the
   * live-media streams hear it.
   */
  private void holdChanged(SipCall sip, boolean held, String description) {
    ActiveCall c = call;
    if (c == null || c.sip != sip || !c.phase().isUp()) {
      return;
    }
    c.audio.holdChanged(held, description);
    if (c.phase() != CallPhase.CONNECTED) {
      // A transfer under way owns the status; the media streams heard it all the same.
      log.info("Call-ID {}: {}", c.callId(), description);
      return;
    }
    record(
        c.incoming ? StatusType.INCOMING_CALL_CONNECTED : StatusType.OUTGOING_CALL_CONNECTED,
        callFacts(c),
        description + ", Call-ID " + c.callId());
  }

  private void callFailed(SipCall sip, SipFailure failure) {
    ActiveCall c = call;
    if (c == null || c.sip != sip) {
      return;
    }
    String what = (c.incoming ? "INVITE from " : "INVITE ") + c.remote + ": " + failure.describe();
    c.endCode = failure.statusCode();
    if (c.phase() == CallPhase.HANGING_UP) {
      finish(
          c,
          finished(c),
          what + " (after our hangup)",
          null,
          CallOutcome.local(c.hangupEnding, failure.statusCode(), failure.reason()));
    } else {
      finish(
          c,
          c.incoming ? StatusType.INCOMING_CALL_FAILED : StatusType.OUTGOING_CALL_FAILED,
          what,
          failure.cause(),
          failedOutcome(c, failure));
    }
  }

  private void ended(SipCall sip, CallEnd cause, String description) {
    ActiveCall c = call;
    if (c == null || c.sip != sip) {
      return;
    }
    String what =
        switch (cause) {
          case REMOTE_BYE -> "BYE from " + c.remote;
          case LOCAL_BYE -> "BYE sent to " + c.remote;
          case LOCAL_TERMINATE -> "call torn down locally";
          case TRANSFERRED -> "call transferred to " + c.transferTarget;
          case MEDIA_TIMEOUT -> "no RTP from " + c.remote;
          case ERROR -> "call with " + c.remote + " broke";
        };
    CallOutcome outcome =
        switch (cause) {
          case REMOTE_BYE -> CallOutcome.connected(CallSide.REMOTE, CallEnding.BYE);
          case LOCAL_BYE -> CallOutcome.connected(CallSide.LOCAL, CallEnding.BYE);
          case LOCAL_TERMINATE -> CallOutcome.connected(CallSide.LOCAL, CallEnding.TEARDOWN);
          case TRANSFERRED -> CallOutcome.connected(CallSide.LOCAL, CallEnding.TRANSFER);
          case MEDIA_TIMEOUT -> CallOutcome.connected(CallSide.LOCAL, CallEnding.MEDIA_TIMEOUT);
          case ERROR -> CallOutcome.connected(CallSide.NETWORK, CallEnding.ERROR);
        };
    finish(c, finished(c), what + (description.isEmpty() ? "" : ": " + description), null, outcome);
  }

  /** Why a call that never came up failed, for its record. */
  private static CallOutcome failedOutcome(ActiveCall c, SipFailure failure) {
    int code = failure.statusCode();
    String reason = failure.reason();
    if (c.incoming && code == 487) {
      return new CallOutcome(CallSide.REMOTE, CallEnding.CANCEL, code, reason);
    }
    if (code == 408 || (code == 0 && failure.cause() == null)) {
      return new CallOutcome(CallSide.NETWORK, CallEnding.TIMEOUT, code, reason);
    }
    if (code == 0) {
      return new CallOutcome(CallSide.LOCAL, CallEnding.ERROR, code, reason);
    }
    // An incoming call's failure with a code is one we answered (a codec we cannot take: 488).
    return new CallOutcome(
        c.incoming ? CallSide.LOCAL : CallSide.REMOTE, CallEnding.REJECTED, code, reason);
  }

  private static StatusType finished(ActiveCall c) {
    return c.incoming ? StatusType.INCOMING_CALL_FINISHED : StatusType.OUTGOING_CALL_FINISHED;
  }

  /**
   * The call is over: record why, end its audio (playback, media streams), write its call record,
   * and say the line is ready again.
   */
  private void finish(
      ActiveCall c, StatusType type, String description, Throwable error, CallOutcome outcome) {
    c.cancelTimers();
    if (c.phase() != CallPhase.ENDED) {
      c.moveTo(CallPhase.ENDED);
    }
    call = null;
    c.audio.ended(c.endCode, description);
    recorder.record(type, callFacts(c), description + " (Call-ID " + c.callId() + ")", error);
    writeRecord(c, shuttingDown ? outcome.duringShutdown() : outcome, description);
    if (session != null && !sessionEnding) {
      record(StatusType.READY, sessionFacts(), "ready for calls");
    }
    if (c.hangupDone != null) {
      c.hangupDone.complete(null);
    }
  }

  /** A soft hangup that ended without the network's word: what it was meant to be. */
  private static CallOutcome hangupOutcome(ActiveCall c, boolean wasUp, int code, String what) {
    return wasUp
        ? CallOutcome.connected(CallSide.LOCAL, c.hangupEnding)
        : CallOutcome.local(c.hangupEnding, code, what);
  }

  /** An INVITE the line refused at once (no session, busy): a call record, no status. */
  private void rejected(
      AccountEntry entry, SipCall sip, IncomingCall info, int code, String reason, String why) {
    Instant now = config.clock().instant();
    emit(
        new CallRecord(
            sip.callId(),
            config.name(),
            entry.name(),
            CallDirection.INCOMING,
            info.caller().addressOfRecord(),
            now,
            null,
            now,
            code,
            reason,
            CallSide.LOCAL,
            CallEnding.REJECTED,
            code + " " + reason + ": " + why,
            "",
            0,
            0,
            0,
            RtpStatistics.NONE,
            EModel.NONE,
            EModel.NONE));
  }

  private void writeRecord(ActiveCall c, CallOutcome outcome, String description) {
    RtpStatistics rtp;
    try {
      rtp = Objects.requireNonNullElse(c.sip.rtpStatistics(), RtpStatistics.NONE);
    } catch (RuntimeException e) {
      // A backend fault must not cost the record; the figures are what is lost.
      log.warn("Call-ID {}: RTP figures unavailable for the call record", c.callId(), e);
      rtp = RtpStatistics.NONE;
    }
    String codec = c.codec;
    double oneWay = rtp.hasRoundTrip() ? rtp.roundTripMillis() / 2 : 0;
    emit(
        new CallRecord(
            c.callId(),
            config.name(),
            c.account,
            c.incoming ? CallDirection.INCOMING : CallDirection.OUTGOING,
            c.remote,
            c.invited,
            c.answered,
            config.clock().instant(),
            outcome.sipCode(),
            outcome.sipReason(),
            outcome.side(),
            outcome.ending(),
            description,
            codec,
            c.promptsPlayed,
            c.audio.digitsReceived(),
            c.audio.digitsSent(),
            rtp,
            EModel.mos(codec, rtp.inbound(), oneWay),
            EModel.mos(codec, rtp.outbound(), oneWay)));
  }

  private void emit(CallRecord r) {
    try {
      config.callRecords().accept(r);
    } catch (RuntimeException e) {
      log.error("Call-ID {}: the call record sink failed; record lost", r.callId(), e);
    }
  }

  // ---- hangup ----------------------------------------------------------------------------

  CompletableFuture<LineStatus> endCall(boolean hard) {
    if (session == null) {
      return done(noSession("SipEndCall"));
    }
    if (call == null) {
      return done(noCall("SipEndCall"));
    }
    ActiveCall c = call;
    if (hard) {
      LineStatus initiated =
          record(
              StatusType.HARD_HANGUP_INITIATED,
              callFacts(c),
              "hard hangup of Call-ID " + c.callId());
      c.sip.terminate();
      finish(
          c,
          finished(c),
          "call torn down locally, nothing awaited from the network",
          null,
          c.phase() == CallPhase.CONNECTED || c.phase() == CallPhase.TRANSFERRING
              ? CallOutcome.connected(CallSide.LOCAL, CallEnding.TEARDOWN)
              : CallOutcome.local(CallEnding.TEARDOWN, 0, "torn down before an answer"));
      return done(initiated);
    }
    if (c.phase() == CallPhase.HANGING_UP) {
      return c.hangupDone.thenApply(v -> recorder.latest());
    }
    LineStatus initiated =
        record(
            StatusType.SOFT_HANGUP_INITIATED,
            callFacts(c),
            softHangupWord(c) + " for Call-ID " + c.callId());
    return softHangupFuture().thenApply(v -> initiated);
  }

  private static String softHangupWord(ActiveCall c) {
    return switch (c.phase()) {
      case DIALING -> "CANCEL";
      case RINGING -> "603 Decline";
      default -> "BYE";
    };
  }

  /** Starts (or joins) a soft hangup of the current call; completes when it has ended. */
  private CompletableFuture<Void> softHangupFuture() {
    ActiveCall c = call;
    if (c.phase() == CallPhase.HANGING_UP) {
      return c.hangupDone;
    }
    c.cancelTimers();
    c.hangupEnding =
        switch (c.phase()) {
          case DIALING -> CallEnding.CANCEL;
          case RINGING -> CallEnding.REJECTED;
          default -> CallEnding.BYE;
        };
    boolean wasUp = c.phase().isUp() || c.phase() == CallPhase.ANSWERING;
    c.moveTo(CallPhase.HANGING_UP);
    c.hangupDone = new CompletableFuture<>();
    c.timer =
        after(
            waits.hangup(),
            () -> {
              if (call == c) {
                c.sip.terminate();
                String what =
                    "no answer to our hangup within "
                        + waits.hangup().toSeconds()
                        + " s, torn down locally";
                finish(c, finished(c), what, null, hangupOutcome(c, wasUp, 0, what));
              }
            });
    try {
      c.sip.hangup();
    } catch (RuntimeException e) {
      c.sip.terminate();
      String what = "hangup failed, torn down locally: " + e.getMessage();
      finish(c, finished(c), what, e, hangupOutcome(c, wasUp, 0, what));
    }
    return c.hangupDone;
  }

  // ---- transfer --------------------------------------------------------------------------

  CompletableFuture<LineStatus> transfer(String transferId, Map<String, String> headers) {
    if (session == null) {
      return done(noSession("SipTransferCall"));
    }
    if (call == null) {
      return done(noCall("SipTransferCall"));
    }
    ActiveCall c = call;
    if (c.phase() != CallPhase.CONNECTED) {
      throw new FailedPreconditionException(
          current(),
          "the call is "
              + c.phase().name().toLowerCase(Locale.ROOT)
              + "; a transfer needs a connected call");
    }
    SipUri target = SipAddresses.parseTarget("transfer_id", transferId, session.spec.aor());
    c.moveTo(CallPhase.TRANSFERRING);
    c.transferTarget = target.addressOfRecord();
    c.transferHeaders = headers;
    Facts facts = new Facts(session.name(), c.remote, c.transferTarget, headers, c.nluSessionName);
    LineStatus initiated =
        record(
            StatusType.TRANSFER_CALL_INITIATED,
            facts,
            "REFER to " + target + " for Call-ID " + c.callId());
    c.transferTimer =
        after(
            waits.transfer(),
            () ->
                transferFailed(
                    c.sip,
                    SipFailure.noResponse(
                        "no transfer outcome within " + waits.transfer().toSeconds() + " s")));
    try {
      c.sip.transfer(target, headers);
    } catch (RuntimeException e) {
      transferFailed(c.sip, SipFailure.exception("REFER could not be sent: " + e.getMessage(), e));
    }
    return done(initiated);
  }

  private void transferFailed(SipCall sip, SipFailure failure) {
    ActiveCall c = call;
    if (c == null || c.sip != sip || c.phase() != CallPhase.TRANSFERRING) {
      return;
    }
    if (c.transferTimer != null) {
      c.transferTimer.cancel(false);
      c.transferTimer = null;
    }
    c.moveTo(CallPhase.CONNECTED);
    Facts facts =
        new Facts(session.name(), c.remote, c.transferTarget, c.transferHeaders, c.nluSessionName);
    recorder.record(
        StatusType.TRANSFER_CALL_FAILED,
        facts,
        "transfer of Call-ID "
            + c.callId()
            + " to "
            + c.transferTarget
            + " failed: "
            + failure.describe()
            + "; the call goes on",
        failure.cause());
  }

  // ---- audio -----------------------------------------------------------------------------

  /** Queues decoded clips; the future completes when they have played (or the call ended). */
  CompletableFuture<LineStatus> play(List<short[]> clips, CompletableFuture<?> cancelled) {
    if (session == null) {
      return done(noSession("SipPlayWavFiles"));
    }
    if (call == null || call.phase() == CallPhase.HANGING_UP) {
      return done(noCall("SipPlayWavFiles"));
    }
    ActiveCall c = call;
    if (!c.phase().isUp()) {
      throw new FailedPreconditionException(
          current(),
          "the call is "
              + c.phase().name().toLowerCase(Locale.ROOT)
              + "; wait for it to connect before SipPlayWavFiles");
    }
    var playback = c.audio.play(clips);
    // Cancelling a playback cannot fail: nothing to observe.
    var unused = cancelled.whenComplete((v, e) -> playback.cancel());
    return playback.completion().thenApplyAsync(r -> played(c, clips.size(), r), actor);
  }

  private LineStatus played(ActiveCall c, int files, PlaybackResult r) {
    String amount =
        String.format("%.2f s of %.2f s", r.playedMillis() / 1000.0, r.totalMillis() / 1000.0);
    if (call != c && r.outcome() == PlaybackResult.Outcome.PLAYED) {
      // The last frame went out just before the call ended: say so without recording a played
      // status after the call's end.
      return recorder.answer(
          StatusType.NO_ONGOING_CALL,
          callFacts(c),
          "the call ended right after playback: " + amount + " played");
    }
    if (r.outcome() == PlaybackResult.Outcome.PLAYED) {
      c.promptsPlayed += files;
    }
    return switch (r.outcome()) {
      case PLAYED ->
          record(
              StatusType.MICROPHONE_WAV_FILES_PLAYED,
              callFacts(c),
              "played "
                  + files
                  + " WAV file"
                  + (files == 1 ? "" : "s")
                  + " ("
                  + amount
                  + ")"
                  + (c.audio.isMuted() ? " while muted" : ""));
      case INTERRUPTED ->
          recorder.answer(
              StatusType.NO_ONGOING_CALL,
              callFacts(c),
              "the call ended during playback: " + amount + " played");
      case CANCELLED ->
          recorder.answer(
              recorder.latest().type(), callFacts(c), "playback cancelled after " + amount);
      case CLEARED ->
          recorder.answer(
              recorder.latest().type(),
              callFacts(c),
              "playback cleared by the live-media client after " + amount);
    };
  }

  CompletableFuture<LineStatus> mute(boolean muted) {
    String rpc = muted ? "SipMute" : "SipUnMute";
    if (session == null) {
      return done(noSession(rpc));
    }
    if (call == null) {
      return done(noCall(rpc));
    }
    ActiveCall c = call;
    if (c.audio.isMuted() == muted) {
      return done(recorder.latest());
    }
    c.audio.setMuted(muted);
    return done(
        record(
            muted ? StatusType.MICROPHONE_MUTED : StatusType.MICROPHONE_UNMUTED,
            callFacts(c),
            (muted ? "microphone muted" : "microphone unmuted")
                + " on Call-ID "
                + c.callId()
                + "; RTP keeps flowing"));
  }

  /**
   * A live-media writer did not come back within its grace and the policy says hang up: a soft
   * hangup, recorded as any other.
   */
  private void mediaClientGone(CallAudio audio) {
    ActiveCall c = call;
    if (c == null || c.audio != audio || !c.phase().isUp()) {
      return;
    }
    record(
        StatusType.SOFT_HANGUP_INITIATED,
        callFacts(c),
        "BYE for Call-ID "
            + c.callId()
            + ": the live-media client did not come back within "
            + config.mediaResumeGrace().toMillis()
            + " ms");
    // The hangup's end is recorded by finish(); nobody waits for it here.
    var unused = softHangupFuture();
  }

  // ---- shutdown --------------------------------------------------------------------------

  /** Hangs up, un-REGISTERs every account, bounded; then nothing more is accepted. */
  // handleAsync returns a future of a future on purpose: the thenCompose after it flattens it.
  @SuppressWarnings("FutureReturnValueIgnored")
  CompletableFuture<Void> shutdown() {
    shuttingDown = true;
    CompletableFuture<?> ending = session != null ? endSession() : done(null);
    return ending
        .handleAsync(
            (v, e) -> {
              List<CompletableFuture<Void>> pending = new ArrayList<>();
              for (AccountEntry entry : new ArrayList<>(accounts.values())) {
                if (entry.unregistered == null) {
                  entry.unregistered = new CompletableFuture<>();
                  entry.handle.unregister();
                }
                pending.add(entry.unregistered);
              }
              return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
            },
            actor)
        .thenCompose(
            all -> all.completeOnTimeout(null, waits.register().toMillis(), TimeUnit.MILLISECONDS))
        .thenRunAsync(() -> closed = true, actor);
  }

  /** Tears down at once: the call locally, pending futures failed. */
  void closeNow() {
    if (call != null) {
      ActiveCall c = call;
      c.sip.terminate();
      finish(
          c,
          finished(c),
          "line closed",
          null,
          c.phase().isUp()
              ? CallOutcome.connected(CallSide.LOCAL, CallEnding.SHUTDOWN)
              : CallOutcome.local(CallEnding.SHUTDOWN, 0, "line closed"));
    }
    media.close();
    for (AccountEntry entry : accounts.values()) {
      if (entry.firstRegistration != null) {
        entry.firstRegistration.completeExceptionally(
            new FailedPreconditionException(current(), "the line was closed"));
      }
      if (entry.registrationTimer != null) {
        entry.registrationTimer.cancel(false);
      }
    }
    closed = true;
  }

  SerialExecutor actor() {
    return actor;
  }

  // ---- backend events onto the actor -----------------------------------------------------

  /** Per account: every backend event is queued onto the actor, in arrival order. */
  private final class AccountEvents implements SipEventListener, Switchboard.Taker {
    private final AccountEntry entry;

    AccountEvents(AccountEntry entry) {
      this.entry = entry;
    }

    @Override
    public String lineName() {
      return config.name();
    }

    @Override
    public long rank() {
      return rank;
    }

    @Override
    public boolean looksFree() {
      return session == entry && isFree();
    }

    @Override
    public boolean hasSession() {
      return session == entry && !sessionEnding;
    }

    @Override
    public void offer(SipCall sip, IncomingCall info, Consumer<Switchboard.Verdict> verdict) {
      try {
        actor.execute(() -> verdict.accept(offered(entry, sip, info)));
      } catch (RejectedExecutionException e) {
        verdict.accept(Switchboard.Verdict.NO_SESSION);
      }
    }

    /**
     * Queues an event onto the actor. After the line closed its actor refuses tasks; the event is
     * dropped then, since nobody is left to tell, and the backend's thread must not get the refusal
     * (a listener that throws is a broken listener to the backend).
     */
    private void post(Runnable event) {
      try {
        actor.execute(event);
      } catch (RejectedExecutionException e) {
        log.debug("line closed; backend event for {} dropped", entry.spec.accountName());
      }
    }

    @Override
    public void registered(SipAccount account, int expiresSeconds) {
      post(() -> LineCore.this.registered(entry, expiresSeconds));
    }

    @Override
    public void registrationFailed(SipAccount account, SipFailure failure) {
      post(() -> LineCore.this.registrationFailed(entry, failure));
    }

    @Override
    public void unregistered(SipAccount account) {
      post(
          () -> {
            if (entry.unregistered != null) {
              entry.unregistered.complete(null);
            }
          });
    }

    @Override
    public void incomingCall(SipCall sip, IncomingCall info) {
      post(() -> incoming(entry, sip, info));
    }

    @Override
    public void callRinging(SipCall sip, int statusCode, String reason) {
      log.debug("Call-ID {}: {} {}", sip.callId(), statusCode, reason);
    }

    @Override
    public void callConnected(SipCall sip) {
      post(() -> connected(sip));
    }

    @Override
    public void callFailed(SipCall sip, SipFailure failure) {
      post(() -> LineCore.this.callFailed(sip, failure));
    }

    @Override
    public void callEnded(SipCall sip, CallEnd cause, String description) {
      post(() -> ended(sip, cause, description == null ? "" : description));
    }

    @Override
    public void callHoldChanged(SipCall sip, boolean held, String description) {
      post(() -> holdChanged(sip, held, description == null ? "" : description));
    }

    @Override
    public void transferAccepted(SipCall sip) {
      log.info("Call-ID {}: REFER accepted (202)", sip.callId());
    }

    @Override
    public void transferSucceeded(SipCall sip) {
      log.info("Call-ID {}: transfer target answered (NOTIFY 200)", sip.callId());
    }

    @Override
    public void transferFailed(SipCall sip, SipFailure failure) {
      post(() -> LineCore.this.transferFailed(sip, failure));
    }
  }
}

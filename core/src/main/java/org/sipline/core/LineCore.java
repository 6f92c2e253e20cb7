package org.sipline.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sipline.core.StatusRecorder.Facts;
import org.sipline.core.media.CallAudio;
import org.sipline.core.media.LineMedia;
import org.sipline.core.media.MediaHub;
import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallSide;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line's session and its call, and every change to them, through the one {@link LineState}.
 * Each method here runs on the line's actor (the {@link SerialExecutor}), commands and backend
 * events alike, so state is plain fields and a remote BYE can never race a local hangup: whichever
 * is queued first wins, the other finds the call gone. The accounts ({@link Registrations}),
 * playback ({@link CallPrompts}), mute ({@link Microphone}) and call records ({@link
 * CallRecordWriter}) are kept by classes of their own that this one calls on the actor.
 */
final class LineCore {
  private static final Logger log = LoggerFactory.getLogger(LineCore.class);

  private final LineConfig config;
  private final LineWaits waits;
  private final SerialExecutor actor;
  private final ActorTimer timer;
  private final StatusRecorder recorder;
  private final MediaHub media;
  private final Registrations accounts;
  private final CallRecordWriter records;
  private final CallPrompts prompts;
  private final Microphone microphone;

  /** What a crash would leave on the network (confirmed dialogs, bindings), journaled. */
  private final SipStateJournal sipState;

  /** Ends what the previous process left; see {@link #sweepLeftovers()}. */
  private final OrphanSweep sweep;

  /**
   * How long SipStartCall's answer waits for the backend to say it acted on the INVITE ({@link
   * SipCall#inviteHandled}); past it the line answers anyway (the call goes on either way).
   */
  static final Duration INVITE_HAND_OFF_BOUND = Duration.ofSeconds(2);

  /** Lines are offered a shared account's INVITEs in the order they were created. */
  private static final AtomicLong RANKS = new AtomicLong();

  private final long rank = RANKS.incrementAndGet();

  // Written only on the actor; volatile because isFree(), inCall() and isRegistered() read them
  // from other threads (the switchboard choosing a line, OPTIONS, the lines service).

  /** Where the line stands; changed only through {@link #move}. */
  private volatile LineState state = LineState.NO_SESSION;

  /** The active session's account while the state has a session, else null. */
  private volatile AccountEntry session;

  /** The account this line last told its trunk it looks free for, else null; actor only. */
  private AccountEntry advertised;

  /** The line's call while the state has one, else null. */
  private volatile ActiveCall call;

  private int autoAnswerSeconds;

  LineCore(
      SipBackend backend,
      LineConfig config,
      LineWaits waits,
      LineRuntime runtime,
      StatusRecorder recorder,
      SipStateJournal sipState) {
    this.sipState = sipState;
    this.config = config;
    this.waits = waits;
    this.actor = new SerialExecutor(runtime.workers());
    this.timer = new ActorTimer(runtime.timer(), actor);
    this.recorder = recorder;
    this.media =
        new MediaHub(
            actor,
            runtime.timer(),
            config.mediaResumeGrace(),
            config.mediaDetachPolicy(),
            this::refused,
            audio -> actor.execute(() -> mediaClientGone(audio)));
    this.accounts =
        new Registrations(
            backend,
            waits,
            timer,
            recorder,
            () -> session,
            () -> call != null,
            this::refused,
            this::bindingConfirmed,
            entry -> sipState.bindingsEnded(entry.name()));
    this.records = new CallRecordWriter(config);
    this.sweep =
        new OrphanSweep(
            backend,
            sipState,
            recorder,
            actor,
            config.clock(),
            () -> state == LineState.CLOSED,
            records);
    this.prompts = new CallPrompts(recorder, actor, () -> call, this::callFacts);
    this.microphone = new Microphone(recorder);
  }

  /** After a restart: BYE to the calls, Expires: 0 for the bindings the previous process left. */
  void sweepLeftovers() {
    actor.execute(sweep::start);
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
          if (state == LineState.CLOSED) {
            result.completeExceptionally(refused("the line takes no more requests"));
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

  /** The one way the line's state changes: to where {@code event} leads from the current one. */
  private void move(LineEvent event) {
    state = state.next(event);
    advertise();
  }

  /**
   * Keeps the shared account's set of free lines in step with this line (a trunk offers an INVITE
   * to its first free line from that set instead of walking all its lines per INVITE): called after
   * every change of state or session, on the actor.
   */
  private void advertise() {
    AccountEntry now = session != null && isFree() ? session : null;
    if (now == advertised) {
      return;
    }
    AccountEntry before = advertised;
    advertised = now;
    if (before != null) {
      Trunk.freeChanged(before.handle);
    }
    if (now != null) {
      Trunk.freeChanged(now.handle);
    }
  }

  /** Refuses a command unless the current state takes {@code event}; nothing changes either way. */
  private void require(LineEvent event, String what) {
    if (state.after(event) == null) {
      throw refused(what);
    }
  }

  /** A refusal of {@code what} naming the line's state in words (SPEC §2, errors). */
  private FailedPreconditionException refused(String what) {
    StringBuilder words = new StringBuilder(state.words());
    ActiveCall c = call;
    if (c != null) {
      words.append(" with ").append(c.remote);
      if (c.audio.isMuted()) {
        words.append(", microphone muted");
      }
    }
    return new FailedPreconditionException(current(), words.toString(), what);
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
    return accounts.register(spec, AccountEvents::new);
  }

  /**
   * A registrar confirmed {@code entry}'s binding: journal it (so a crash leaves a record to remove
   * it by) and let the sweep re-send an un-REGISTER it was waiting on this account's credentials
   * for.
   */
  private void bindingConfirmed(AccountEntry entry, int expires) {
    var binding = entry.handle.binding();
    binding.ifPresent(b -> sipState.binding(entry.name(), b, expires));
    sweep.accountRegistered(entry.spec, binding.orElse(null));
  }

  /**
   * Read from any thread: {@code session} and {@code registered} are both volatile, so the answer
   * is one the actor wrote, at most a moment old; the session is read once so both facts are about
   * the same account.
   */
  boolean isRegistered() {
    AccountEntry s = session;
    return s != null && s.registered;
  }

  boolean inCall() {
    return state.hasCall();
  }

  boolean isFree() {
    return state == LineState.READY;
  }

  // ---- session ---------------------------------------------------------------------------

  CompletableFuture<LineStatus> startSession(String accountName, int interval) {
    if (state.isEnding()) {
      throw refused("session " + session.name() + " is ending; wait for SESSION_ENDED");
    }
    AccountEntry entry = accounts.get(accountName);
    if (entry == null || entry.firstRegistration != null) {
      throw refused(
          "account "
              + accountName
              + (entry == null
                  ? " was never registered: call SipRegisterAccount first"
                  : " is still registering"));
    }
    if (!entry.registered) {
      throw refused("account " + accountName + " is not registered (its last REGISTER failed)");
    }
    if (session == entry) {
      autoAnswerSeconds = interval;
      return done(recorder.latest());
    }
    require(
        LineEvent.START_SESSION,
        "a call is ongoing in session "
            + (session == null ? "" : session.name())
            + ": end it first");
    move(LineEvent.START_SESSION);
    session = entry;
    advertise();
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
    if (!state.hasSession()) {
      return done(noSession("SipEndSession"));
    }
    LineState before = state;
    move(LineEvent.END_SESSION);
    CompletableFuture<Void> hungUp = call == null ? done(null) : softHangup(call, before);
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
      var bound = timer.after(waits.register(), () -> entry.unregistered.complete(null));
      // Cancelling a timer cannot fail: nothing to observe.
      var unused = entry.unregistered.whenComplete((v, e) -> bound.cancel(false));
    }
    return entry.unregistered.thenApplyAsync(
        v -> {
          if (session != entry || state != LineState.ENDING_SESSION) {
            return recorder.latest();
          }
          Facts facts = sessionFacts();
          accounts.forget(entry);
          move(LineEvent.SESSION_ENDED);
          session = null;
          advertise();
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
    if (!state.hasSession()) {
      return done(noSession("SipStartCall"));
    }
    ActiveCall ongoing = call;
    require(
        LineEvent.DIAL,
        ongoing != null
            ? "a call with " + ongoing.remote + " is ongoing (Call-ID " + ongoing.callId() + ")"
            : "session " + session.name() + " is ending; no new calls");
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
    // The INVITE is out: from here on a fault must not lose the call (the far end would ring with
    // nobody able to hang up), so it is tracked first and ended on any failure below.
    ActiveCall c = null;
    try {
      c =
          new ActiveCall(
              sip,
              false,
              target.addressOfRecord(),
              headers,
              nluName(sip.callId(), target.addressOfRecord()),
              audio,
              session.name(),
              config.clock().instant());
      audio.bind(sip);
      move(LineEvent.DIAL);
      call = c;
      ActiveCall placed = c;
      c.timer = timer.after(waits.callSetup(), () -> setupExpired(placed));
    } catch (RuntimeException e) {
      return done(inviteNotTracked(sip, c, audio, target, headers, e));
    }
    LineStatus initiated =
        record(
            StatusType.OUTGOING_CALL_INITIATED,
            callFacts(c),
            "INVITE " + target + " sent, Call-ID " + sip.callId());
    // Answered once the backend has put the INVITE out (issue 16): an answer before it let the
    // client's next request (a status poll, say) take the cores the INVITE's send still needed,
    // which was most of SipStartCall -> INVITE's p99. Bounded, in case a backend never says.
    return sip.inviteHandled()
        .copy()
        .completeOnTimeout(null, INVITE_HAND_OFF_BOUND.toNanos(), TimeUnit.NANOSECONDS)
        .handleAsync((handled, never) -> initiated, actor)
        // The actor's pool refused the hop (the runtime is closing): answer from here.
        .exceptionally(refusedHop -> initiated);
  }

  /**
   * The INVITE was sent but the line failed to take the call in hand: end it at once (CANCEL or
   * local teardown, as the backend's terminate does) and record it as failed.
   */
  private LineStatus inviteNotTracked(
      SipCall sip,
      ActiveCall c,
      CallAudio audio,
      SipUri target,
      Map<String, String> headers,
      RuntimeException e) {
    String what = "INVITE " + target + " sent but not tracked, call ended: " + e.getMessage();
    try {
      sip.terminate();
    } catch (RuntimeException again) {
      e.addSuppressed(again);
    }
    if (c != null && call == c) {
      return finish(
          c,
          StatusType.OUTGOING_CALL_FAILED,
          what,
          e,
          CallOutcome.local(CallEnding.ERROR, 0, what));
    }
    audio.ended(0, what);
    Facts facts = new Facts(session.name(), target.addressOfRecord(), "", headers, "");
    LineStatus failed = recorder.record(StatusType.OUTGOING_CALL_FAILED, facts, what, e);
    record(StatusType.READY, sessionFacts(), "ready for calls");
    return failed;
  }

  private String nluName(String callId, String remote) {
    return config
        .nluSessionTemplate()
        .replace("{callId}", callId)
        .replace("{account}", session == null ? "" : session.name())
        .replace("{remote}", remote);
  }

  private void setupExpired(ActiveCall c) {
    if (call != c || state.isUp() || state.isHangingUp()) {
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
    if (session != entry || !state.hasSession() || state.isEnding()) {
      return Switchboard.Verdict.NO_SESSION;
    }
    if (state.hasCall()) {
      return Switchboard.Verdict.BUSY;
    }
    incoming(entry, sip, info);
    return Switchboard.Verdict.TAKEN;
  }

  private void incoming(AccountEntry entry, SipCall sip, IncomingCall info) {
    if (session != entry || !state.hasSession() || state.isEnding()) {
      log.info(
          "INVITE from {} Call-ID {}: no active session for {}, 480",
          info.caller(),
          sip.callId(),
          entry.name());
      sip.reject(480, "Temporarily Unavailable");
      records.rejected(
          entry.name(), sip, info, 480, "Temporarily Unavailable", "no active session");
      return;
    }
    if (state.hasCall()) {
      log.info(
          "INVITE from {} Call-ID {}: busy with Call-ID {}, 486",
          info.caller(),
          sip.callId(),
          call.callId());
      sip.reject(486, "Busy Here");
      records.rejected(
          entry.name(), sip, info, 486, "Busy Here", "busy with Call-ID " + call.callId());
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
            entry.name(),
            config.clock().instant());
    move(LineEvent.INCOMING_CALL);
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
      c.timer = timer.after(Duration.ofSeconds(autoAnswerSeconds), answer);
    }
  }

  private void answer(ActiveCall c) {
    if (call != c || state != LineState.RINGING) {
      return;
    }
    move(LineEvent.AUTO_ANSWER);
    c.timer = timer.after(waits.callSetup(), () -> setupExpired(c));
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
    if (c == null || c.sip != sip || state.after(LineEvent.CALL_CONNECTED) == null) {
      return; // a stale event: the call was hung up, ended or replaced meanwhile
    }
    c.cancelTimers();
    move(LineEvent.CALL_CONNECTED);
    c.answered = config.clock().instant();
    c.codec = c.sip.audioCodec();
    c.audio.connected();
    journalDialog(c);
    record(
        c.incoming ? StatusType.INCOMING_CALL_CONNECTED : StatusType.OUTGOING_CALL_CONNECTED,
        callFacts(c),
        "call with " + c.remote + " connected, Call-ID " + c.callId());
  }

  /** The call's dialog as it stands now, for a later process to end should this one die. */
  private void journalDialog(ActiveCall c) {
    c.sip.dialogRecord().ifPresent(d -> sipState.dialog(c.account, d));
  }

  /**
   * The far end held or resumed the call: the line stays connected, its status says so, and the
   * live-media streams hear it.
   */
  private void holdChanged(SipCall sip, boolean held, String description) {
    ActiveCall c = call;
    if (c == null || c.sip != sip || !state.isUp()) {
      return;
    }
    c.audio.holdChanged(held, description);
    if (state != LineState.CONNECTED) {
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
    if (state.isHangingUp()) {
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
          CallRecordWriter.failedOutcome(c, failure));
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

  private static StatusType finished(ActiveCall c) {
    return c.incoming ? StatusType.INCOMING_CALL_FINISHED : StatusType.OUTGOING_CALL_FINISHED;
  }

  /**
   * The call is over: record why, end its audio (playback, media streams), write its call record,
   * and say the line is ready again when it is.
   */
  private LineStatus finish(
      ActiveCall c, StatusType type, String description, Throwable error, CallOutcome outcome) {
    c.cancelTimers();
    move(LineEvent.CALL_ENDED);
    call = null;
    sipState.dialogEnded(c.callId());
    c.audio.ended(c.endCode, description);
    LineStatus finished =
        recorder.record(type, callFacts(c), description + " (Call-ID " + c.callId() + ")", error);
    records.ended(c, outcome, description);
    if (state == LineState.READY) {
      record(StatusType.READY, sessionFacts(), "ready for calls");
    }
    if (c.hangupDone != null) {
      c.hangupDone.complete(null);
    }
    return finished;
  }

  // ---- hangup ----------------------------------------------------------------------------

  CompletableFuture<LineStatus> endCall(boolean hard) {
    if (!state.hasSession()) {
      return done(noSession("SipEndCall"));
    }
    if (!state.hasCall()) {
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
          state.isUp()
              ? CallOutcome.connected(CallSide.LOCAL, CallEnding.TEARDOWN)
              : CallOutcome.local(CallEnding.TEARDOWN, 0, "torn down before an answer"));
      return done(initiated);
    }
    if (state.isHangingUp()) {
      return c.hangupDone.thenApply(v -> recorder.latest());
    }
    LineState before = state;
    move(LineEvent.HANGUP);
    LineStatus initiated =
        record(
            StatusType.SOFT_HANGUP_INITIATED,
            callFacts(c),
            softHangupWord(before) + " for Call-ID " + c.callId());
    return softHangup(c, before).thenApply(v -> initiated);
  }

  private static String softHangupWord(LineState before) {
    return switch (before) {
      case DIALING -> "CANCEL";
      case RINGING -> "603 Decline";
      default -> "BYE";
    };
  }

  /**
   * Starts (or joins) a soft hangup of {@code c}, the line having moved already (to HANGING_UP or
   * ENDING_SESSION_IN_CALL) from {@code before}; completes when the call has ended.
   */
  private CompletableFuture<Void> softHangup(ActiveCall c, LineState before) {
    if (before.isHangingUp()) {
      return c.hangupDone;
    }
    c.cancelTimers();
    c.hangupEnding =
        switch (before) {
          case DIALING -> CallEnding.CANCEL;
          case RINGING -> CallEnding.REJECTED;
          default -> CallEnding.BYE;
        };
    boolean wasUp = before.isUp() || before == LineState.ANSWERING;
    c.hangupDone = new CompletableFuture<>();
    c.timer =
        timer.after(
            waits.hangup(),
            () -> {
              if (call == c) {
                c.sip.terminate();
                String what =
                    "no answer to our hangup within "
                        + waits.hangup().toSeconds()
                        + " s, torn down locally";
                finish(
                    c, finished(c), what, null, CallRecordWriter.hangupOutcome(c, wasUp, 0, what));
              }
            });
    try {
      c.sip.hangup();
    } catch (RuntimeException e) {
      c.sip.terminate();
      String what = "hangup failed, torn down locally: " + e.getMessage();
      finish(c, finished(c), what, e, CallRecordWriter.hangupOutcome(c, wasUp, 0, what));
    }
    return c.hangupDone;
  }

  // ---- transfer --------------------------------------------------------------------------

  CompletableFuture<LineStatus> transfer(String transferId, Map<String, String> headers) {
    if (!state.hasSession()) {
      return done(noSession("SipTransferCall"));
    }
    if (!state.hasCall()) {
      return done(noCall("SipTransferCall"));
    }
    ActiveCall c = call;
    require(LineEvent.TRANSFER, "a transfer needs a connected call");
    SipUri target = SipAddresses.parseTarget("transfer_id", transferId, session.spec.aor());
    move(LineEvent.TRANSFER);
    c.transferTarget = target.addressOfRecord();
    c.transferHeaders = headers;
    Facts facts = new Facts(session.name(), c.remote, c.transferTarget, headers, c.nluSessionName);
    LineStatus initiated =
        record(
            StatusType.TRANSFER_CALL_INITIATED,
            facts,
            "REFER to " + target + " for Call-ID " + c.callId());
    c.transferTimer =
        timer.after(
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
    if (c == null || c.sip != sip || state != LineState.TRANSFERRING) {
      return;
    }
    if (c.transferTimer != null) {
      c.transferTimer.cancel(false);
      c.transferTimer = null;
    }
    move(LineEvent.TRANSFER_FAILED);
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

  /** The audio rate of the call now, 8000 without one: what prompts are decoded to. */
  int audioRate() {
    ActiveCall c = call;
    return c == null ? AudioFrames.SAMPLE_RATE : c.audio.rate();
  }

  /**
   * Queues clips decoded at {@code rate} (again from {@code wavFiles} when the call's rate is
   * another); the future completes when they have played (or the call ended).
   */
  CompletableFuture<LineStatus> play(
      List<byte[]> wavFiles, List<short[]> decoded, int rate, CompletableFuture<?> cancelled) {
    List<short[]> clips = decoded;
    if (call != null && call.audio.rate() != rate) {
      clips = Line.decode(wavFiles, call.audio.rate()); // checked once already: cannot fail
    }
    return play(clips, cancelled);
  }

  /** Queues decoded clips; the future completes when they have played (or the call ended). */
  CompletableFuture<LineStatus> play(List<short[]> clips, CompletableFuture<?> cancelled) {
    if (!state.hasSession()) {
      return done(noSession("SipPlayWavFiles"));
    }
    if (!state.hasCall() || state.isHangingUp()) {
      return done(noCall("SipPlayWavFiles"));
    }
    require(LineEvent.PLAY, "wait for the call to connect before SipPlayWavFiles");
    return prompts.play(call, clips, cancelled);
  }

  CompletableFuture<LineStatus> mute(boolean muted) {
    String rpc = muted ? "SipMute" : "SipUnMute";
    if (!state.hasSession()) {
      return done(noSession(rpc));
    }
    if (!state.hasCall()) {
      return done(noCall(rpc));
    }
    return done(microphone.set(call, muted, callFacts(call)));
  }

  /**
   * A live-media writer did not come back within its grace and the policy says hang up: a soft
   * hangup, recorded as any other.
   */
  private void mediaClientGone(CallAudio audio) {
    ActiveCall c = call;
    if (c == null || c.audio != audio || !state.isUp()) {
      return;
    }
    LineState before = state;
    move(LineEvent.HANGUP);
    record(
        StatusType.SOFT_HANGUP_INITIATED,
        callFacts(c),
        "BYE for Call-ID "
            + c.callId()
            + ": the live-media client did not come back within "
            + config.mediaResumeGrace().toMillis()
            + " ms");
    // The hangup's end is recorded by finish(); nobody waits for it here.
    var unused = softHangup(c, before);
  }

  // ---- shutdown --------------------------------------------------------------------------

  /** Hangs up, un-REGISTERs every account, bounded; then nothing more is accepted. */
  // handleAsync returns a future of a future on purpose: the thenCompose after it flattens it.
  @SuppressWarnings("FutureReturnValueIgnored")
  CompletableFuture<Void> shutdown() {
    records.shuttingDown();
    CompletableFuture<?> ending = state.hasSession() ? endSession() : done(null);
    return ending
        .handleAsync((v, e) -> accounts.unregisterAll(), actor)
        .thenCompose(
            all -> all.completeOnTimeout(null, waits.register().toMillis(), TimeUnit.MILLISECONDS))
        .thenRunAsync(() -> move(LineEvent.CLOSE), actor);
  }

  /** Tears down at once: the call locally, pending futures failed. */
  void closeNow() {
    ActiveCall c = call;
    if (c != null) {
      c.sip.terminate();
      finish(
          c,
          finished(c),
          "line closed",
          null,
          state.isUp()
              ? CallOutcome.connected(CallSide.LOCAL, CallEnding.SHUTDOWN)
              : CallOutcome.local(CallEnding.SHUTDOWN, 0, "line closed"));
    }
    media.close();
    move(LineEvent.CLOSE);
    accounts.close(() -> refused("the line was closed before the registrar answered"));
    sipState.close();
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
      return session == entry && state.hasSession() && !state.isEnding();
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
      post(() -> accounts.registered(entry, expiresSeconds));
    }

    @Override
    public void registrationFailed(SipAccount account, SipFailure failure) {
      post(() -> accounts.failed(entry, failure));
    }

    @Override
    public void unregistered(SipAccount account) {
      post(() -> accounts.unregistered(entry));
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
    public void dialogChanged(SipCall sip) {
      post(
          () -> {
            ActiveCall c = call;
            if (c != null && c.sip == sip && state.isUp()) {
              journalDialog(c);
            }
          });
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

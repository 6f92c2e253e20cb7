package org.sipline.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.sipline.core.audio.PromptCache;
import org.sipline.core.audio.WavDecoder;
import org.sipline.core.audio.WavFormatException;
import org.sipline.core.media.LineMedia;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.sip.SipHeaders;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipUri;

/**
 * One phone line: the ONDEWO-SIP API's semantics (SPEC §2) over a {@link SipBackend}.
 *
 * <p>Every command returns at once with a future. Requests are checked on the caller's thread (a
 * malformed one fails its future with {@link InvalidArgumentException} and changes nothing); then
 * the command joins the line's actor, where it and the backend's events are applied one at a time
 * in arrival order. A command the line's state forbids fails with {@link
 * FailedPreconditionException}; a call-scoped command without a session or a call answers a
 * NO_SESSION / NO_ONGOING_CALL status that is not recorded. Failures of the network or the far end
 * are recorded statuses, never exceptions. Futures may complete on the line's thread: don't block
 * in their continuations.
 */
public final class Line implements AutoCloseable {
  private static final int MAX_SECRET_LENGTH = 256;
  private static final int MAX_AUTO_ANSWER_SECONDS = 3600;

  /**
   * Decoded prompts, shared by every line of the process: a bot plays the same few prompts on all
   * its lines, and one decoded copy per call was the garbage behind the G1 pauses that cost pacing
   * at 500 calls (BENCHMARKS.md §8). 64 MiB holds about 70 minutes of 8 kHz prompts.
   */
  private static final PromptCache PROMPTS = new PromptCache(64L << 20);

  private final LineCore core;
  private final StatusRecorder recorder;
  private final LineRuntime ownedRuntime;

  private Line(SipBackend backend, LineConfig config, LineRuntime runtime, boolean ownsRuntime) {
    // First, before the journal is opened: a line whose waits would undercut its backend's is
    // refused whole.
    LineWaits waits = LineWaits.of(config, backend.config());
    StatusHistory history = new StatusHistory(config.historyLimit(), config.journal());
    this.recorder = new StatusRecorder(history, config.clock());
    SipStateJournal sipState = SipStateJournal.open(config.journal(), config.clock());
    this.core = new LineCore(backend, config, waits, runtime, recorder, sipState);
    this.ownedRuntime = ownsRuntime ? runtime : null;
    LineStatus last = history.latest();
    if (last != null && last.type() != StatusType.NO_SESSION) {
      // The journal ends mid-life: the process died. Say so instead of claiming the old state.
      recorder.record(
          StatusType.NO_SESSION,
          StatusRecorder.Facts.NONE,
          "sipline restarted; the line was " + last.type() + " before, nothing was restored",
          null);
    }
    if (!sipState.leftovers().isEmpty()) {
      // Calls and bindings the previous process did not end: a BYE / Expires: 0 for each, now.
      core.sweepLeftovers();
    }
  }

  /**
   * A line with threads of its own, released by {@link #close()}.
   *
   * @param backend the backend the line's SIP goes through; the caller closes it
   * @param config the line's configuration
   * @return the open line
   */
  public static Line open(SipBackend backend, LineConfig config) {
    Objects.requireNonNull(backend, "backend");
    LineRuntime runtime = LineRuntime.create(1);
    try {
      return new Line(backend, config, runtime, true);
    } catch (RuntimeException e) {
      runtime.close(); // a line refused at open leaves no thread behind
      throw e;
    }
  }

  /**
   * A line on a shared runtime (many lines, few threads); the caller closes the runtime.
   *
   * @param backend the backend the line's SIP goes through; the caller closes it
   * @param config the line's configuration
   * @param runtime the threads the line shares with others
   * @return the open line
   */
  public static Line open(SipBackend backend, LineConfig config, LineRuntime runtime) {
    return new Line(Objects.requireNonNull(backend, "backend"), config, runtime, false);
  }

  // ---- commands ----------------------------------------------------------------------------

  /**
   * SipRegisterAccount: REGISTERED or SESSION_REGISTRATION_FAILED once the registrar decided.
   *
   * @param accountName the account, {@code user@host[:port]} or a sip:/sips: URI
   * @param password the digest secret; never logged
   * @param authUsername the digest user name; empty means the account's user part
   * @param outboundProxy where every request goes first; empty means none
   * @return the status the registration ended in; fails with {@link InvalidArgumentException} for
   *     bad input, {@link FailedPreconditionException} when the line's state refuses it
   */
  public CompletableFuture<LineStatus> registerAccount(
      String accountName, String password, String authUsername, String outboundProxy) {
    AccountSpec spec;
    try {
      SipUri aor = SipAddresses.parseAccount("account_name", nz(accountName));
      SipUri proxy = SipAddresses.parseProxy("outbound_proxy", nz(outboundProxy));
      String secret = checkSecret("password", nz(password));
      String authUser = checkSecret("auth_username", nz(authUsername).strip());
      spec = new AccountSpec(aor, secret, authUser.isEmpty() ? aor.user() : authUser, proxy);
    } catch (InvalidArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return core.submit(() -> core.register(spec));
  }

  /**
   * SipStartSession: SESSION_STARTED (then READY is recorded).
   *
   * @param accountName a registered account
   * @param autoAnswerSeconds 0 answers incoming calls at once, more answers after that many seconds
   * @return the status; fails as {@link #registerAccount} does
   */
  public CompletableFuture<LineStatus> startSession(String accountName, int autoAnswerSeconds) {
    String name;
    try {
      name = SipAddresses.parseAccount("account_name", nz(accountName)).addressOfRecord();
      if (autoAnswerSeconds < 0) {
        throw new InvalidArgumentException(
            "auto_answer_interval",
            autoAnswerSeconds + " < 0: must be 0 (answer at once) or more seconds");
      }
      if (autoAnswerSeconds > MAX_AUTO_ANSWER_SECONDS) {
        throw new InvalidArgumentException(
            "auto_answer_interval",
            autoAnswerSeconds + " > " + MAX_AUTO_ANSWER_SECONDS + " seconds");
      }
    } catch (InvalidArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return core.submit(() -> core.startSession(name, autoAnswerSeconds));
  }

  /**
   * SipEndSession: hangs up, un-REGISTERs; SESSION_ENDED (then NO_SESSION is recorded).
   *
   * @return the status; fails when there is no session
   */
  public CompletableFuture<LineStatus> endSession() {
    return core.submit(core::endSession);
  }

  /**
   * SipStartCall: OUTGOING_CALL_INITIATED once the INVITE is on its way.
   *
   * @param calleeId whom to call: a user, an address, a sip:/sips:/tel: URI or a phone number
   * @param headers extra headers of the INVITE, name to value
   * @return the status; fails for bad input or when the line is not ready
   */
  public CompletableFuture<LineStatus> startCall(String calleeId, Map<String, String> headers) {
    Map<String, String> checked;
    try {
      checked = SipHeaders.checkExtraHeaders("headers", headers == null ? Map.of() : headers);
      if (nz(calleeId).isBlank()) {
        throw new InvalidArgumentException("callee_id", "empty");
      }
    } catch (InvalidArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return core.submit(() -> core.startCall(calleeId, checked));
  }

  /**
   * SipEndCall: the HARD_/SOFT_HANGUP_INITIATED status. A soft hangup's future completes once the
   * call has finished (bounded by {@link LineConfig#hangupWait()}); a hard one's at once.
   *
   * @param hard true for a hard hangup
   * @return the status; NO_ONGOING_CALL when there is no call
   */
  public CompletableFuture<LineStatus> endCall(boolean hard) {
    return core.submit(() -> core.endCall(hard));
  }

  /**
   * SipTransferCall: TRANSFER_CALL_INITIATED once the REFER is on its way.
   *
   * @param transferId the transfer target, in the forms {@link #startCall} takes
   * @param headers extra headers of the REFER, name to value
   * @return the status; fails for bad input or when there is no call to transfer
   */
  public CompletableFuture<LineStatus> transferCall(
      String transferId, Map<String, String> headers) {
    Map<String, String> checked;
    try {
      checked = SipHeaders.checkExtraHeaders("headers", headers == null ? Map.of() : headers);
      if (nz(transferId).isBlank()) {
        throw new InvalidArgumentException("transfer_id", "empty");
      }
    } catch (InvalidArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return core.submit(() -> core.transfer(transferId, checked));
  }

  /**
   * SipPlayWavFiles: every file is checked first (all or nothing), then they are queued behind what
   * is already playing. Completes with MICROPHONE_WAV_FILES_PLAYED when played, or a
   * NO_ONGOING_CALL answer saying how much was played if the call ended first. Cancelling the
   * returned future drops its files still unplayed (barge-in).
   *
   * @param wavFiles the WAV files' bytes, in the order to play
   * @return the status when played or cut short
   */
  public CompletableFuture<LineStatus> playWavFiles(List<byte[]> wavFiles) {
    List<short[]> clips;
    // Decoded here, off the actor, at the rate of the call playing now; should the call (and its
    // rate) change before the actor queues them, it decodes them again (see LineCore#play).
    int rate = core.audioRate();
    try {
      if (wavFiles == null || wavFiles.isEmpty()) {
        throw new InvalidArgumentException("wav_files", "empty: give at least one WAV file");
      }
      clips = decode(wavFiles, rate);
    } catch (InvalidArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<LineStatus> result = new CompletableFuture<>();
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    // The callbacks here only complete other futures and cannot throw: nothing to observe.
    var unused =
        result.whenComplete(
            (v, e) -> {
              if (result.isCancelled()) {
                cancelled.complete(null);
              }
            });
    var unusedToo =
        core.submit(() -> core.play(wavFiles, clips, rate, cancelled))
            .whenComplete(
                (v, e) -> {
                  if (e != null) {
                    result.completeExceptionally(e);
                  } else {
                    result.complete(v);
                  }
                });
    return result;
  }

  /**
   * The files decoded to {@code rate}, through the shared cache.
   *
   * @throws InvalidArgumentException naming the first file that is not playable
   */
  static List<short[]> decode(List<byte[]> wavFiles, int rate) {
    List<short[]> clips = new ArrayList<>();
    for (int i = 0; i < wavFiles.size(); i++) {
      try {
        clips.add(PROMPTS.decode(wavFiles.get(i), rate, wav -> WavDecoder.toRate(wav, rate)));
      } catch (WavFormatException e) {
        throw new InvalidArgumentException("wav_files[" + i + "]", e.getMessage(), e);
      }
    }
    return clips;
  }

  /**
   * SipMute: MICROPHONE_MUTED; outgoing audio becomes silence, RTP keeps flowing.
   *
   * @return the status
   */
  public CompletableFuture<LineStatus> mute() {
    return core.submit(() -> core.mute(true));
  }

  /**
   * SipUnMute: MICROPHONE_UNMUTED.
   *
   * @return the status
   */
  public CompletableFuture<LineStatus> unmute() {
    return core.submit(() -> core.mute(false));
  }

  /**
   * The line's live media (sipline.media.v1): Converse and Listen streams of its calls, and
   * Interrupt. Its methods never wait for the line's actor.
   *
   * @return the line's media
   */
  public LineMedia media() {
    return core.media();
  }

  // ---- observation -------------------------------------------------------------------------

  /**
   * SipGetSipStatus: the latest status (NO_SESSION on a fresh line).
   *
   * @return the latest status
   */
  public LineStatus status() {
    return recorder.latest();
  }

  /**
   * SipGetSipStatusHistory: every kept status, oldest first.
   *
   * @return the history, a copy
   */
  public List<LineStatus> history() {
    return recorder.history();
  }

  /**
   * Up to {@code max} kept statuses with a sequence number above {@code afterSequence}, oldest
   * first: what a watcher that saw {@code afterSequence} last has missed (a resumable watch).
   *
   * @param afterSequence the last sequence number seen; 0 for all
   * @param max at most this many statuses
   * @return the statuses missed, at most {@code max}
   */
  public List<LineStatus> historyAfter(long afterSequence, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max < 1: " + max);
    }
    return recorder.historyAfter(afterSequence, max);
  }

  /**
   * The oldest sequence number the history still holds; 0 when it holds nothing.
   *
   * @return the sequence number, or 0
   */
  public long oldestSequence() {
    return recorder.oldestSequence();
  }

  /**
   * True while the line has a call: ringing, connecting, up or being hung up.
   *
   * @return whether the line has a call
   */
  public boolean inCall() {
    return core.inCall();
  }

  /**
   * True when an incoming INVITE for the line's session would be taken now: a session is active and
   * not ending, and there is no call. Read without waiting for the line, so it may be a moment old;
   * the line's actor decides for real.
   *
   * @return whether the line would take a call now
   */
  public boolean isFree() {
    return core.isFree();
  }

  /**
   * Calls {@code watcher} with every status recorded from now on, in order, on the line's thread.
   * Closing the returned handle stops it.
   *
   * @param watcher what to call with each status; must return quickly
   * @return a handle whose close stops the watch
   */
  public AutoCloseable watch(Consumer<LineStatus> watcher) {
    return recorder.watch(Objects.requireNonNull(watcher, "watcher"));
  }

  /**
   * True while the active session's account holds a registration.
   *
   * @return whether the account is registered
   */
  public boolean isRegistered() {
    return core.isRegistered();
  }

  // ---- life --------------------------------------------------------------------------------

  /**
   * Hangs up (BYE), un-REGISTERs every account; completes when done or the bounds passed.
   *
   * @return a future completed when the line has shut down
   */
  public CompletableFuture<Void> shutdown() {
    return core.submit(core::shutdown);
  }

  /** Tears the call down locally and releases the line's resources; waits at most 2 s. */
  @Override
  public void close() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    try {
      core.actor()
          .execute(
              () -> {
                core.closeNow();
                closed.complete(null);
              });
      closed.get(2, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // Closing must not fail; what could not be torn down in time dies with the runtime.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      recorder.close();
      if (ownedRuntime != null) {
        ownedRuntime.close(Duration.ofSeconds(1));
      }
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String checkSecret(String field, String value) {
    if (value.length() > MAX_SECRET_LENGTH) {
      throw new InvalidArgumentException(field, "longer than " + MAX_SECRET_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        // Named by position only: the value may be a secret.
        throw new InvalidArgumentException(field, "control character at index " + i);
      }
    }
    return value;
  }
}

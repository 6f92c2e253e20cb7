package org.sipline.core.media;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sipline.core.AlreadyExistsException;
import org.sipline.core.FailedPreconditionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's live media ({@code Line.media()}): where streams are opened, and the line's handle on
 * its calls' audio ({@link #newCall}). Streams opened with NEXT wait here until the line sets up a
 * call, and are bound to it before its first frame; a writer that went away waits here (by its
 * resume token) for its grace period.
 *
 * <p>Made by the line, which drives calls from its actor; the methods of {@link LineMedia} may be
 * called from any thread and never wait for the actor. Locks: this hub's, then a call's, then that
 * call's queue's.
 */
public final class MediaHub implements LineMedia {
  private static final Logger log = LoggerFactory.getLogger(MediaHub.class);

  final Object lock = new Object();
  private final Executor completions;
  private final ScheduledExecutorService timer;
  private final Duration grace;
  private final DetachPolicy policy;
  private final Function<String, FailedPreconditionException> refusal;
  private final Consumer<CallAudio> hangup;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, CallStream> tokens = new ConcurrentHashMap<>();

  /** The call connected last and not ended, or null. */
  private volatile CallAudio current;

  // Guarded by lock.
  private CallAudio setup;
  private final List<CallStream> pending = new ArrayList<>();
  private boolean closed;

  /**
   * @param completions where playback futures complete and clears settle (the line's actor)
   * @param timer runs grace periods and DTMF gaps
   * @param grace how long a detached writer may come back (LineConfig)
   * @param policy what happens to the call when it does not (LineConfig)
   * @param refusal makes the FAILED_PRECONDITION answer to a refused request: the line names its
   *     state in words (callable from any thread)
   * @param hangup asks the line to hang a call up (the HANG_UP policy)
   */
  public MediaHub(
      Executor completions,
      ScheduledExecutorService timer,
      Duration grace,
      DetachPolicy policy,
      Function<String, FailedPreconditionException> refusal,
      Consumer<CallAudio> hangup) {
    this.completions = Objects.requireNonNull(completions, "completions");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.refusal = Objects.requireNonNull(refusal, "refusal");
    this.hangup = Objects.requireNonNull(hangup, "hangup");
  }

  // ---- the line's side ---------------------------------------------------------------------

  /**
   * A new call's audio (on the line's actor, before its media is handed to the backend): streams
   * waiting for the next call are bound to it now, so they miss none of its frames.
   *
   * @param incoming true when the far end called
   * @param remote the far end's address, as statuses report it
   * @return the call's audio
   */
  public CallAudio newCall(boolean incoming, String remote) {
    CallAudio c = new CallAudio(this, completions, incoming, remote);
    synchronized (lock) {
      setup = c;
      synchronized (c.lock) {
        for (CallStream s : pending) {
          c.attach(s);
        }
      }
      pending.clear();
    }
    return c;
  }

  /** Ends every stream still waiting; the line is closing. */
  public void close() {
    List<CallStream> waiting;
    synchronized (lock) {
      closed = true;
      waiting = new ArrayList<>(pending);
      pending.clear();
      for (CallStream s : waiting) {
        s.finish();
      }
    }
    for (CallStream s : tokens.values()) {
      if (s.graceTimer != null) {
        s.graceTimer.cancel(false);
      }
    }
    for (CallStream s : waiting) {
      s.handle().wake();
    }
  }

  void connected(CallAudio c) {
    synchronized (lock) {
      if (setup == c) {
        setup = null;
      }
      current = c;
    }
  }

  void ended(CallAudio c, int sipCode, String reason) {
    synchronized (lock) {
      List<CallStream> back;
      synchronized (c.lock) {
        back = c.end(sipCode, reason);
      }
      if (setup == c) {
        setup = null;
      }
      if (current == c) {
        current = null;
      }
      pending.addAll(0, back);
    }
  }

  // ---- LineMedia ---------------------------------------------------------------------------

  @Override
  public MediaStream converse(ConverseOptions options) {
    ConverseOptions o = Objects.requireNonNull(options, "options").validate();
    if (!o.resumeToken().isEmpty()) {
      return resume(o.resumeToken());
    }
    CallStream s = new CallStream(this, true, o, newToken());
    CallAudio bound = open(s, o.call(), o.takeOver());
    tokens.put(s.token, s);
    if (bound != null) {
      bound.wakeStreams();
    }
    return s.handle();
  }

  @Override
  public MediaStream listen(ListenOptions options) {
    ListenOptions o = Objects.requireNonNull(options, "options").validate();
    ConverseOptions as =
        new ConverseOptions(
                o.call(),
                o.inbound(),
                null,
                o.inboundFrameMs(),
                o.maxInboundLagMs(),
                0,
                0,
                false,
                "")
            .validate();
    CallStream s = new CallStream(this, false, as, newToken());
    CallAudio bound = open(s, o.call(), false);
    if (bound != null) {
      bound.wakeStreams();
    }
    return s.handle();
  }

  @Override
  public CompletableFuture<MediaEvent.Cleared> interrupt(String callId, String throughUtterance) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(throughUtterance, "throughUtterance");
    CallAudio c = current;
    if (c == null || c.isEnded()) {
      throw precondition("no call in progress to interrupt");
    }
    if (!callId.isEmpty() && !callId.equals(c.callId())) {
      throw precondition(
          "call " + callId + " is not in progress (the line's call is " + c.callId() + ")");
    }
    return c.interrupt(throughUtterance);
  }

  /** Binds {@code s} to the call it asks for, or parks it until the next one; returns its call. */
  private CallAudio open(CallStream s, CallSelector which, boolean takeOver) {
    synchronized (lock) {
      if (closed) {
        throw precondition("the line is closed");
      }
      CallAudio c = which == CallSelector.CURRENT ? current : setup;
      if (which == CallSelector.CURRENT && c == null) {
        throw precondition("no call in progress: open with call = NEXT to wait for the next one");
      }
      if (c != null) {
        synchronized (c.lock) {
          if (c.isEnded() || (which == CallSelector.NEXT && c.isStarted())) {
            if (which == CallSelector.CURRENT) {
              throw precondition("the call has just ended");
            }
            c = null;
          } else {
            if (s.writer != null && c.writer() != null) {
              if (!takeOver) {
                throw new AlreadyExistsException(
                    "call "
                        + c.callId()
                        + " already has a Converse writer: set take_over to replace it");
              }
              takeOver(c, c.writer());
            }
            c.attach(s);
          }
        }
      }
      if (c == null) {
        if (s.writer != null) {
          for (CallStream other : List.copyOf(pending)) {
            if (other.writer != null) {
              if (!takeOver) {
                throw new AlreadyExistsException(
                    "a Converse writer already waits for the next call: set take_over to replace"
                        + " it");
              }
              pending.remove(other);
              other.finish();
              tokens.remove(other.token);
              other.handle().wake();
            }
          }
        }
        pending.add(s);
      }
      return c;
    }
  }

  /** Under the hub's and the call's lock: the old writer's audio goes, and then the writer. */
  private void takeOver(CallAudio c, CallStream old) {
    tokens.remove(old.token);
    if (old.graceTimer != null) {
      old.graceTimer.cancel(false);
    }
    old.awaitedClear = c.dropWriterAudio(old, "taken over by another Converse", false);
    if (old.isDetached()) {
      c.streamFinished(old); // nobody reads it: its marks still reach the listeners
    } else {
      old.beginEnding();
    }
  }

  private MediaStream resume(String token) {
    CallStream s = tokens.get(token);
    if (s == null) {
      throw precondition("resume_token: unknown, or its stream was closed or is past its grace");
    }
    StreamHandle h =
        s.withLock(
            () -> {
              CallAudio c = s.call();
              if (s.isFinished() || c == null) {
                throw precondition("resume_token: its stream has ended");
              }
              if (s.graceTimer != null) {
                s.graceTimer.cancel(false);
                s.graceTimer = null;
              }
              if (!s.isDetached()) {
                s.detach(); // the old connection is still open here: this one replaces it
              }
              if (s.phase() == CallStream.Phase.ATTACHED && !c.isEnded()) {
                s.writer.unrelease();
              }
              c.settle(); // what happened while it was away is numbered before its new Opened
              return s.resume(c.history(), c.queue.tick());
            });
    log.info("Converse stream of call {} resumed", s.call() == null ? "?" : s.call().callId());
    return h;
  }

  // ---- a stream's client going away --------------------------------------------------------

  /**
   * The client of {@code s} is gone. Its queued audio goes at the next frame, unless {@code
   * keepQueue} (its rpc was refused a request, which must not cost what it queued before): then it
   * plays on, and only the grace's end drops what is left.
   */
  void detach(CallStream s, StreamHandle handle, boolean keepQueue) {
    s.withLock(
        () -> {
          if (handle != s.handle() || s.isFinished()) {
            return null;
          }
          CallAudio c = s.call();
          if (c == null) {
            pending.remove(s); // a NEXT stream gone before its call: nothing to resume
            tokens.remove(s.token);
            s.finish();
            return null;
          }
          if (s.writer == null) {
            c.streamFinished(s); // a Listen stream has nothing to come back to
            return null;
          }
          s.detach();
          if (!keepQueue && s.phase() == CallStream.Phase.ATTACHED && !c.isEnded()) {
            c.dropWriterAudio(s, "detached", true);
          }
          s.graceTimer = timer.schedule(() -> expire(s), grace.toMillis(), TimeUnit.MILLISECONDS);
          return null;
        });
  }

  /** A detached writer's grace ran out: its stream is given up, and the policy applies. */
  private void expire(CallStream s) {
    CallAudio c =
        s.withLock(
            () -> {
              CallAudio call = s.call();
              if (!s.isDetached() || s.isFinished() || call == null) {
                return null;
              }
              if (!s.writer.isReleased() && !call.isEnded()) {
                // Detached by a refusal, its audio kept playing: what is left of it goes now,
                // its marks DETACHED (told to the listeners; nobody reads this stream any more).
                call.dropWriterAudio(s, "not back within its grace", false);
              }
              call.streamFinished(s);
              return call.isEnded() ? null : call;
            });
    if (c != null) {
      log.info(
          "Call-ID {}: the Converse client did not come back within {} ms; {}",
          c.callId(),
          grace.toMillis(),
          policy == DetachPolicy.HANG_UP ? "hanging up" : "the call goes on");
      if (policy == DetachPolicy.HANG_UP) {
        hangup.accept(c);
      }
    }
  }

  void close(CallStream s, StreamHandle handle) {
    s.withLock(
        () -> {
          if (handle != s.handle() || s.isFinished()) {
            return null;
          }
          tokens.remove(s.token);
          CallAudio c = s.call();
          if (c == null) {
            pending.remove(s);
            s.finish();
            return null;
          }
          if (s.phase() != CallStream.Phase.ATTACHED) {
            return null; // ending already
          }
          if (s.writer != null && !c.isEnded()) {
            s.awaitedClear = c.dropWriterAudio(s, "closed", false);
          }
          s.beginEnding();
          return null;
        });
  }

  /** A stream is done: its token resumes nothing any more. */
  void forget(CallStream s) {
    tokens.remove(s.token);
    if (s.graceTimer != null) {
      s.graceTimer.cancel(false);
    }
  }

  // ---- for the package ---------------------------------------------------------------------

  FailedPreconditionException precondition(String what) {
    return refusal.apply(what);
  }

  Duration grace() {
    return grace;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  private String newToken() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

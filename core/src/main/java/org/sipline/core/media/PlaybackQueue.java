package org.sipline.core.media;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import org.sipline.core.media.PlaybackResult.Outcome;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's outgoing audio: utterances (a live writer's speech, SipPlayWavFiles requests) queued
 * FIFO and read out as 20 ms frames of 8 kHz PCM by the backend's pacer, with marks between them,
 * clears, pause, mute and holds for DTMF.
 *
 * <pre>
 *   start/append (chunks) ─┐                     read ─▶ frame in flight ─▶ sent(true): committed
 *   enqueue (prompt)  ─────┼─▶ utterances, marks              (tentative)   sent(false): rolled back
 *   mark / clear / pause ──┘                                                  → facts (marks PLAYED,
 *                                                                               utterance ended, clear)
 * </pre>
 *
 * <p>Utterances follow each other without a gap: the next continues in the same frame; a frame with
 * nothing left is padded with silence. A new utterance ends the one before it. While muted, frames
 * are silence but the queue is consumed as if played (SPEC §2: playback time keeps running, marks
 * resolve); while paused or held for DTMF, frames are silence and nothing is consumed.
 *
 * <p>Played means handed to the socket: {@link #read} only computes the frame, tentatively; {@link
 * #sent} commits it (or rolls it back when the packet could not go out, so that audio is not lost
 * but read again). A read without a {@code sent} in between commits the previous frame. Marks
 * resolve, utterances end and clears settle only at a commit, and each such fact is recorded for
 * the call's streams to drain ({@link #takeFacts}): the events are made there, never here.
 *
 * <p>A clear asked for between two frames takes effect in the next one: the interrupted utterance
 * fades out over {@value Utterance#FADE} samples, the queue's prefix through the named utterance is
 * gone, whatever follows starts at once; pending marks in what was dropped resolve CLEARED (or
 * DETACHED when the writer went away).
 *
 * <p>Threads: the pacer calls {@link #read}, {@link #sent} and {@link #skipped} every 20 ms; every
 * other method comes from other threads. All hold one lock, for at most a frame's copy. The pacer's
 * methods allocate nothing, not even when utterances end, marks resolve or clears settle (facts and
 * completions are chained through themselves, made when they were asked for). Futures are completed
 * on the completion executor, never on the pacer thread; what that executor allocates to queue a
 * task is its own. The {@link #onFacts} listener runs on the pacer thread and must not block.
 */
final class PlaybackQueue implements AudioSource {
  private static final Logger log = LoggerFactory.getLogger(PlaybackQueue.class);

  /** A G.711 call's frame, the size until the call's rate says otherwise. */
  static final int FRAME = AudioFrames.FRAME_SAMPLES;

  private static final Runnable NOTHING = () -> {};

  private final Executor completionExecutor;
  private final Object lock = new Object();
  private volatile Runnable listener = NOTHING;
  private volatile boolean muted;

  /** The timeline position of the next frame: one frame per tick, read or skipped. */
  private volatile long tick;

  /**
   * Samples per frame at the call's rate (guarded by lock): set from the call's rate when it
   * connects ({@link #setRate}) and taken from the pacer's frame, which is the backend's word on
   * it, should the pacer read before the line's actor told the rate.
   */
  private int frame = FRAME;

  // Everything below is guarded by lock.
  private Utterance head;
  private Utterance tail;

  /** Samples written and neither played nor dropped. */
  private long queued;

  private boolean paused;
  private int holds;
  private boolean closed;
  private int prompts;

  private ClearRequest firstPending;
  private ClearRequest lastPending;

  // The frame in flight: read, not yet sent.
  private boolean outstanding;
  private long framePosition;
  private ClearRequest firstInFlight;
  private Utterance firstTouched;
  private Utterance lastTouched;
  private boolean frameAudio;
  private boolean frameDry;

  private boolean drySpell;
  private long underruns;
  private long playedSamples;

  /** Timeline position right after the last played queued sample. */
  private long lastAudioEnd;

  /** Timeline position of the last frame sent with queued audio in it, or -1. */
  private long lastAudioFrame = -1;

  /** The utterance whose samples were played last. */
  private Utterance lastPlayed;

  private Fact firstFact;
  private Fact lastFact;
  private boolean factsAdded;
  private long wakeAtTick = -1;
  private long wakeBelowQueued = -1;

  // Completions waiting for the lock to be released (chained through themselves).
  private Playback firstEnded;
  private Playback lastEnded;
  private ClearRequest firstNotify;
  private ClearRequest lastNotify;

  /** Completes futures on {@link ForkJoinPool#commonPool()}. */
  PlaybackQueue() {
    this(ForkJoinPool.commonPool());
  }

  /**
   * @param completionExecutor where each request's future is completed
   */
  PlaybackQueue(Executor completionExecutor) {
    this.completionExecutor = Objects.requireNonNull(completionExecutor, "completionExecutor");
  }

  /** {@code listener} runs (on the pacer's thread, must not block) when facts were recorded. */
  void onFacts(Runnable listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  // ---- prompts (SipPlayWavFiles) -----------------------------------------------------------

  /**
   * Queues one request as one utterance behind everything already queued or playing.
   *
   * @param clips mono PCM at the call's rate ({@link #rate}), played in order; the arrays are read
   *     as they are when played, so the caller hands them over and must not change them
   * @throws IllegalArgumentException when there is nothing to play (no clips, or all empty)
   */
  Playback enqueue(List<short[]> clips) {
    Objects.requireNonNull(clips, "clips");
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("no clips to play");
    }
    long total = 0;
    for (int i = 0; i < clips.size(); i++) {
      if (clips.get(i) == null) {
        throw new NullPointerException("clip " + i + " is null");
      }
      total += clips.get(i).length;
    }
    if (total == 0) {
      throw new IllegalArgumentException("the " + clips.size() + " clip(s) hold no samples");
    }
    Playback playback;
    synchronized (lock) {
      Utterance u = new Utterance("prompt-" + ++prompts, null);
      for (short[] clip : clips) {
        u.append(clip);
      }
      u.end();
      playback = new Playback(this, u, total, frame * 50);
      u.prompt = playback;
      if (closed) {
        u.moveTo(Utterance.State.DROPPED);
        playback.finish(Outcome.INTERRUPTED, 0);
        chainEnded(playback);
      } else {
        link(u);
      }
    }
    completeOutsideLock();
    // Barge-in by cancelling the future: drop the request as if cancel() had been called.
    // cancel() cannot fail: nothing to observe.
    var unused =
        playback
            .completion()
            .whenComplete(
                (result, failure) -> {
                  if (failure instanceof CancellationException) {
                    cancel(playback);
                  }
                });
    return playback;
  }

  void cancel(Playback playback) {
    synchronized (lock) {
      Utterance u = playback.utterance();
      if (!u.isQueued()) {
        return; // already ended
      }
      // The frame in flight will almost surely go out: its samples count as played.
      long played = u.tentativePlayed();
      drop(u, MarkOutcome.CLEARED, tick);
      playback.finish(Outcome.CANCELLED, played);
      chainEnded(playback);
    }
    completeOutsideLock();
    signalIfFacts();
  }

  // ---- a live writer's utterances ----------------------------------------------------------

  /**
   * Starts utterance {@code id} with its first samples, after everything queued; the utterance
   * before it ends. Null when the call's audio has ended.
   */
  Utterance start(String id, Object owner, short[] samples, boolean end) {
    Utterance u = new Utterance(id, owner);
    u.append(samples);
    if (end) {
      u.end();
    }
    synchronized (lock) {
      if (closed) {
        return null;
      }
      link(u);
    }
    return u;
  }

  /**
   * Appends samples to {@code u} (and ends it when {@code end}).
   *
   * @return false when {@code u} can take no more: ended, dropped, or the call's audio ended
   */
  boolean append(Utterance u, short[] samples, boolean end) {
    synchronized (lock) {
      if (closed || !u.isQueued() || u.isEnded()) {
        return false;
      }
      u.append(samples);
      queued += samples.length;
      if (end) {
        u.end();
      }
      return true;
    }
  }

  /** Marks the end of the audio written so far. */
  Mark mark(String id, Object owner) {
    Mark m;
    synchronized (lock) {
      Utterance u = tail;
      m = new Mark(id, owner, u, u == null ? 0 : u.written());
      if (closed) {
        m.resolve(MarkOutcome.CALL_ENDED, tick);
        addFact(m);
      } else if (u == null) {
        m.resolve(MarkOutcome.PLAYED, lastAudioEnd); // everything before it is on the wire
        addFact(m);
      } else if (m.offset == u.played() && u.endPosition() >= 0) {
        m.resolve(MarkOutcome.PLAYED, u.endPosition());
        addFact(m);
      } else if (u.lastMark == null) {
        u.firstMark = m;
        u.lastMark = m;
      } else {
        u.lastMark.next = m;
        u.lastMark = m;
      }
    }
    signalIfFacts();
    return m;
  }

  /**
   * Drops, at the next frame, the queue's prefix through {@code through} (null: everything queued
   * now). Its pending marks resolve as {@code markOutcome}.
   *
   * @param onApplied runs on the completion executor once the clear was applied and sent, or null
   */
  ClearRequest clear(
      Utterance through,
      String throughId,
      Object owner,
      MarkOutcome markOutcome,
      Runnable onApplied) {
    ClearRequest c;
    synchronized (lock) {
      Utterance target = through == null ? tail : through;
      c =
          new ClearRequest(
              target != null && target.isQueued() ? target : null,
              throughId,
              owner,
              markOutcome,
              System.nanoTime(),
              onApplied);
      if (closed) {
        c.apply(null, tick, System.nanoTime());
        addFact(c);
        chainNotify(c);
      } else if (lastPending == null) {
        firstPending = c;
        lastPending = c;
      } else {
        lastPending.nextPending = c;
        lastPending = c;
      }
    }
    completeOutsideLock();
    signalIfFacts();
    return c;
  }

  /** Paused, frames are silence and nothing is consumed; marks wait. */
  void setPaused(boolean paused) {
    synchronized (lock) {
      this.paused = paused;
    }
  }

  /** Holds the queue (as paused) while a DTMF digit plays; holds nest. */
  void hold(boolean on) {
    synchronized (lock) {
      holds = Math.max(0, holds + (on ? 1 : -1));
    }
  }

  /** Muted, frames are silence while queued audio keeps being consumed in real time. */
  void setMuted(boolean muted) {
    this.muted = muted;
  }

  boolean isMuted() {
    return muted;
  }

  /**
   * The call ended: every queued utterance is dropped (prompts end INTERRUPTED), every pending mark
   * resolves CALL_ENDED, waiting clears settle with nothing dropped; from now on frames are silence
   * and nothing more is taken.
   */
  void endCall() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (outstanding) {
        commitLocked(true); // the last frame read: treated as sent
      }
      closed = true;
      for (ClearRequest c = firstPending; c != null; ) {
        ClearRequest next = c.nextPending;
        c.nextPending = null;
        c.apply(null, tick, System.nanoTime());
        addFact(c);
        chainNotify(c);
        c = next;
      }
      firstPending = null;
      lastPending = null;
      while (head != null) {
        Utterance u = head;
        Playback prompt = u.prompt;
        long played = u.played();
        drop(u, MarkOutcome.CALL_ENDED, tick);
        if (prompt != null) {
          prompt.finish(Outcome.INTERRUPTED, played);
          chainEnded(prompt);
        }
      }
    }
    completeOutsideLock();
    signalIfFacts();
  }

  // ---- the pacer ---------------------------------------------------------------------------

  /**
   * Fills {@code frame} with the next 20 ms: queued audio, then silence.
   *
   * @return true when the frame carries queued audio and the queue is not muted
   * @throws IllegalArgumentException when {@code frame} is not 20 ms at a call rate ({@value
   *     AudioFrames#FRAME_SAMPLES} samples at 8 kHz); its length sets the queue's rate
   */
  @Override
  public boolean read(short[] frame) {
    int length = frame.length;
    if (!AudioFrames.isCallRate(length * 50)) {
      // 20 ms at a call rate are taken (the backend's word on the rate); anything else is not.
      throw new IllegalArgumentException("frame length " + length + " != " + rate() / 50);
    }
    boolean audible;
    boolean completions;
    boolean signal;
    synchronized (lock) {
      this.frame = length;
      if (outstanding) {
        commitLocked(true); // read again without sent(): the previous frame went out
      }
      outstanding = true;
      framePosition = tick;
      boolean silent = muted;
      boolean held = paused || holds > 0 || closed;
      int filled = 0;
      firstInFlight = firstPending;
      firstPending = null;
      lastPending = null;
      if (firstInFlight != null) {
        filled = startClears(frame, silent || held);
      }
      if (!held) {
        filled = fill(frame, filled, silent);
      }
      frameAudio = filled > 0;
      Arrays.fill(frame, filled, length, (short) 0);
      audible = frameAudio && !silent;
      completions = firstEnded != null || firstNotify != null;
      signal = factsAdded;
      factsAdded = false;
    }
    afterPacer(completions, signal);
    return audible;
  }

  @Override
  public void sent(boolean onWire) {
    boolean completions;
    boolean signal;
    synchronized (lock) {
      if (!outstanding) {
        return;
      }
      commitLocked(onWire);
      completions = firstEnded != null || firstNotify != null;
      signal = factsAdded;
      factsAdded = false;
    }
    afterPacer(completions, signal);
  }

  @Override
  public void skipped(int frames) {
    if (frames <= 0) {
      return;
    }
    boolean completions;
    boolean signal;
    synchronized (lock) {
      if (outstanding) {
        commitLocked(true);
      }
      tick += (long) frames * frame;
      completions = firstEnded != null || firstNotify != null;
      signal = factsAdded;
      factsAdded = false;
    }
    afterPacer(completions, signal);
  }

  /** The pacer's work outside the lock: one lock round per frame unless something ended. */
  private void afterPacer(boolean completions, boolean signal) {
    if (completions) {
      completeOutsideLock();
    }
    if (signal) {
      listener.run();
    }
  }

  /** Marks the prefix the in-flight clears drop and fades the interrupted head; returns samples. */
  private int startClears(short[] frame, boolean quiet) {
    for (ClearRequest c = firstInFlight; c != null; c = c.nextPending) {
      Utterance through = c.through;
      if (through == null || !through.isQueued()) {
        continue;
      }
      for (Utterance u = head; u != null; u = u.next) {
        if (u.dropping == null) {
          u.dropping = c;
        }
        if (u == through) {
          break;
        }
      }
    }
    Utterance h = head;
    if (quiet || h == null || h.dropping == null || h.played() == 0 || h.unplayed() == 0) {
      return 0;
    }
    touch(h, framePosition);
    return h.fade(frame);
  }

  private int fill(short[] frame, int at, boolean silent) {
    int filled = at;
    for (Utterance u = head; u != null && filled < frame.length; u = u.next) {
      if (u.dropping != null) {
        continue;
      }
      if (!u.touched) {
        touch(u, framePosition + filled);
      }
      filled += u.take(frame, filled, frame.length - filled, silent);
      if (!u.drained()) {
        break; // the frame is full
      }
      if (!u.isEnded()) {
        frameDry = filled < frame.length; // ran dry: silence until more of it comes
        break;
      }
    }
    return filled;
  }

  private void touch(Utterance u, long position) {
    u.begin(position);
    u.nextTouched = null;
    if (lastTouched == null) {
      firstTouched = u;
    } else {
      lastTouched.nextTouched = u;
    }
    lastTouched = u;
  }

  /**
   * The frame in flight went out ({@code onWire}) or could not; the timeline moved on either way.
   */
  private void commitLocked(boolean onWire) {
    outstanding = false;
    long frameStart = framePosition;
    tick = frameStart + frame;
    if (!onWire) {
      rollbackLocked();
      return;
    }
    // In frame order: the interrupted utterance's fade, then the clears, then what followed.
    for (Utterance u = firstTouched; u != null; u = u.nextTouched) {
      if (u.dropping != null && u.isQueued()) {
        commitRun(u);
      }
    }
    for (ClearRequest c = firstInFlight; c != null; ) {
      ClearRequest next = c.nextPending;
      c.nextPending = null;
      settleClear(c, frameStart);
      c = next;
    }
    firstInFlight = null;
    for (Utterance u = firstTouched; u != null; ) {
      Utterance next = u.nextTouched;
      u.nextTouched = null;
      if (u.touched && u.isQueued()) {
        commitRun(u);
        if (u.played() == u.written() && u.isEnded()) {
          retire(u);
        }
      }
      u.rollback(); // clears the touched flag of anything not committed (cancelled meanwhile)
      u = next;
    }
    firstTouched = null;
    lastTouched = null;
    if (frameAudio) {
      drySpell = false;
      lastAudioFrame = frameStart;
    }
    if (frameDry && !drySpell) {
      drySpell = true;
      underruns++;
    }
    frameAudio = false;
    frameDry = false;
    if (wakeAtTick >= 0 && tick >= wakeAtTick) {
      wakeAtTick = -1;
      factsAdded = true;
    }
    if (wakeBelowQueued >= 0 && queued <= wakeBelowQueued) {
      wakeBelowQueued = -1;
      factsAdded = true;
    }
  }

  private void rollbackLocked() {
    for (Utterance u = firstTouched; u != null; ) {
      Utterance next = u.nextTouched;
      u.nextTouched = null;
      u.rollback();
      u = next;
    }
    firstTouched = null;
    lastTouched = null;
    for (Utterance u = head; u != null && u.dropping != null; u = u.next) {
      u.dropping = null;
    }
    if (firstInFlight != null) {
      // Put back in front of clears asked for meanwhile: they apply at the next frame.
      ClearRequest last = firstInFlight;
      while (last.nextPending != null) {
        last = last.nextPending;
      }
      last.nextPending = firstPending;
      if (firstPending == null) {
        lastPending = last;
      }
      firstPending = firstInFlight;
      firstInFlight = null;
    }
    frameAudio = false;
    frameDry = false;
  }

  private void commitRun(Utterance u) {
    long audioBefore = lastAudioEnd;
    long delta = u.commit(audioBefore);
    if (delta > 0) {
      queued -= delta;
      playedSamples += delta;
      lastAudioEnd = u.endPosition();
      lastPlayed = u;
    }
    while (u.firstMark != null && u.firstMark.offset <= u.played()) {
      Mark m = u.firstMark;
      u.firstMark = m.next;
      m.next = null;
      m.resolve(MarkOutcome.PLAYED, u.positionOf(m.offset, audioBefore));
      addFact(m);
    }
    if (u.firstMark == null) {
      u.lastMark = null;
    }
  }

  private void retire(Utterance u) {
    unlink(u);
    u.moveTo(Utterance.State.PLAYED);
    addFact(u);
    if (u.prompt != null && u.prompt.finish(Outcome.PLAYED, u.played())) {
      chainEnded(u.prompt);
    }
    u.release();
  }

  private void settleClear(ClearRequest c, long frameStart) {
    Utterance first = head != null && head.dropping == c ? head : null;
    Utterance interrupted = first != null && first.played() > 0 ? first : null;
    long stoppedAt = interrupted != null ? interrupted.endPosition() : frameStart;
    while (head != null && head.dropping == c) {
      Utterance u = head;
      Playback prompt = u.prompt;
      long played = u.played();
      c.dropped(u, u.unplayed());
      drop(u, c.markOutcome, stoppedAt);
      if (prompt != null && prompt.finish(Outcome.CLEARED, played)) {
        chainEnded(prompt);
      }
    }
    c.apply(interrupted, stoppedAt, System.nanoTime());
    addFact(c);
    chainNotify(c);
  }

  /** Takes {@code u} out of the queue; its pending marks resolve as {@code how} at {@code at}. */
  private void drop(Utterance u, MarkOutcome how, long at) {
    unlink(u);
    queued -= u.unplayed();
    for (Mark m = u.firstMark; m != null; ) {
      Mark next = m.next;
      m.next = null;
      m.resolve(how, at);
      addFact(m);
      m = next;
    }
    u.firstMark = null;
    u.lastMark = null;
    u.dropping = null;
    u.moveTo(Utterance.State.DROPPED);
    u.release();
  }

  private void link(Utterance u) {
    if (tail != null && !tail.isEnded()) {
      tail.end(); // a new utterance ends the one before it
    }
    u.prev = tail;
    if (tail == null) {
      head = u;
    } else {
      tail.next = u;
    }
    tail = u;
    queued += u.written();
  }

  private void unlink(Utterance u) {
    if (u.prev == null) {
      head = u.next;
    } else {
      u.prev.next = u.next;
    }
    if (u.next == null) {
      tail = u.prev;
    } else {
      u.next.prev = u.prev;
    }
    u.prev = null;
    u.next = null;
  }

  private void addFact(Fact f) {
    f.nextFact = null;
    if (lastFact == null) {
      firstFact = f;
    } else {
      lastFact.nextFact = f;
    }
    lastFact = f;
    factsAdded = true;
  }

  private void chainEnded(Playback p) {
    if (lastEnded == null) {
      firstEnded = p;
    } else {
      lastEnded.chain(p);
    }
    lastEnded = p;
  }

  private void chainNotify(ClearRequest c) {
    if (c.onApplied == null) {
      return;
    }
    if (lastNotify == null) {
      firstNotify = c;
    } else {
      lastNotify.nextNotify = c;
    }
    lastNotify = c;
  }

  /**
   * Completes the futures of the requests ended and runs the clears' hooks, in order, on the
   * executor, outside the lock.
   */
  private void completeOutsideLock() {
    Playback ended;
    ClearRequest notify;
    synchronized (lock) {
      ended = firstEnded;
      notify = firstNotify;
      if (ended == null && notify == null) {
        return;
      }
      firstEnded = null;
      lastEnded = null;
      firstNotify = null;
      lastNotify = null;
    }
    for (Playback p = ended; p != null; ) {
      // Unlinked before the hand-over: the chain is this thread's alone until then.
      Playback next = p.unchain();
      hand(p.completer());
      p = next;
    }
    for (ClearRequest c = notify; c != null; ) {
      ClearRequest next = c.nextNotify;
      c.nextNotify = null;
      hand(c.onApplied);
      c = next;
    }
  }

  private void hand(Runnable task) {
    try {
      completionExecutor.execute(task);
    } catch (RejectedExecutionException e) {
      // The owner shut its executor down; finishing here beats a future that never completes.
      log.warn(
          "Completion executor refused a playback completion ({}); running in place", e.toString());
      task.run();
    }
  }

  private void signalIfFacts() {
    boolean signal;
    synchronized (lock) {
      signal = factsAdded;
      factsAdded = false;
    }
    if (signal) {
      listener.run();
    }
  }

  // ---- what the streams read ---------------------------------------------------------------

  /**
   * The facts recorded since the last call, oldest first, chained through {@link Fact#nextFact}.
   */
  Fact takeFacts() {
    synchronized (lock) {
      Fact first = firstFact;
      firstFact = null;
      lastFact = null;
      return first;
    }
  }

  /**
   * Asks for the {@link #onFacts} listener to run once the timeline reaches {@code tickPosition}
   * and once no more than {@code belowQueued} samples are queued (-1: not).
   */
  void wakeAt(long tickPosition, long belowQueued) {
    synchronized (lock) {
      wakeAtTick = tickPosition;
      wakeBelowQueued = belowQueued;
    }
  }

  /** The call's rate is known (it connected): frames and prompts are counted at it. */
  void setRate(int rate) {
    int samples = AudioFrames.frameSamples(rate);
    synchronized (lock) {
      frame = samples;
    }
  }

  /** The rate the queue's samples are at: the call's. */
  int rate() {
    synchronized (lock) {
      return frame * 50;
    }
  }

  /** The timeline position of the next frame. */
  long tick() {
    return tick;
  }

  long queuedSamples() {
    synchronized (lock) {
      return queued;
    }
  }

  /** Where playback stands, for Playout reports and statistics. */
  QueueState state() {
    synchronized (lock) {
      Utterance u = lastPlayed;
      return new QueueState(
          tick,
          lastAudioEnd,
          u == null ? "" : u.id,
          u == null ? 0 : u.played(),
          queued,
          paused,
          lastAudioFrame,
          playedSamples,
          underruns);
    }
  }

  /**
   * Where playback stands.
   *
   * @param tick the timeline position of the next frame
   * @param playedPosition timeline position right after the last played queued sample
   * @param utteranceId the utterance played last, or ""
   * @param utterancePlayed its samples played
   * @param queuedSamples written and not yet played
   * @param paused paused by the writer
   * @param lastAudioFrame timeline position of the last frame sent with queued audio, or -1
   * @param playedSamples all queued samples played so far
   * @param underruns dry spells so far
   */
  record QueueState(
      long tick,
      long playedPosition,
      String utteranceId,
      long utterancePlayed,
      long queuedSamples,
      boolean paused,
      long lastAudioFrame,
      long playedSamples,
      long underruns) {}
}

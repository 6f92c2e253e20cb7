package org.sipline.core.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.SipCall;

/**
 * One call's audio, both ways, on one timeline: the {@link PlaybackQueue} the backend's pacer reads
 * (prompts and a live writer's speech), the caller's audio and DTMF the backend delivers, and the
 * media streams attached to the call. Made by {@link MediaHub#newCall} for the line, which drives
 * its life from the line's actor ({@link #connected}, {@link #ended}); applications never see it.
 *
 * <p>The timeline counts samples at the call's rate ({@link SipCall#audioRate()}: 8 kHz for G.711,
 * 16 kHz for G.722) since the call's first frame: one frame per pacer tick (read, or skipped when
 * the pacer fell behind), so it runs with the RTP clock. Caller audio is anchored where the
 * timeline stands when its first packet arrives and runs on from there, missing samples included,
 * so its positions never jump.
 *
 * <p>Locks: {@link #lock} guards the streams and the caller-audio side; the queue has its own,
 * taken inside this one and alone by the pacer, which never takes this one. Client wake-ups run
 * after the lock is released.
 */
public final class CallAudio {
  final Object lock = new Object();
  final PlaybackQueue queue;
  private final MediaHub hub;
  private final boolean incoming;
  private final String remote;
  private final Inbound inbound = new Inbound();
  private final InboundHistory history = new InboundHistory();
  private volatile SipCall sip;

  // Guarded by lock.
  private final List<CallStream> streams = new ArrayList<>();
  private volatile CallStream[] snapshot = new CallStream[0];
  private CallStream writer;
  private final Map<String, Utterance> prompts = new HashMap<>();
  private boolean anchored;
  private long inboundPosition;
  private final long[] digitStart = new long[DtmfEvent.DIGITS.length()];
  private volatile boolean started;
  private boolean connected;
  private volatile boolean ended;
  private volatile int digitsReceived;
  private volatile int digitsSent;

  /**
   * Bumped (under the lock) whenever what {@link #settle}'s per-stream loop reads of the streams
   * changes: the list itself (membership, order) or a member's phase. A stream's playout interval
   * is fixed and its last playout tick moves only in that loop or when it attaches.
   */
  private int streamsVersion;

  // What the last full settle saw, after it ran (guarded by lock). With 500 Listen streams polling
  // once per frame each, repeating a settle whose inputs are unchanged made every poll walk every
  // stream (O(N²) per frame under this lock; issue 11): such a settle would change nothing, so it
  // returns at once. The queue's wake-ups it armed still stand: the pacer consumes one only at a
  // commit, which moves the tick, which this compares.
  private PlaybackQueue.QueueState settledState;
  private int settledVersion;
  private CallStream settledWriter;
  private long settledXonLevel;

  /** Off only in tests comparing events with and without the memo. */
  boolean memoize = true;

  /** Times the per-stream loop of {@link #settle} ran its body: tests hold it to O(N) a frame. */
  long settleSteps;

  CallAudio(MediaHub hub, Executor completions, boolean incoming, String remote) {
    this.hub = hub;
    this.incoming = incoming;
    this.remote = remote;
    this.queue = new PlaybackQueue(completions);
    this.queue.onFacts(this::factsRecorded);
    Arrays.fill(digitStart, -1);
  }

  // ---- the line's side ---------------------------------------------------------------------

  /**
   * The source and sink to give the backend for this call.
   *
   * @return the call's media
   */
  public CallMedia media() {
    return new CallMedia(queue, inbound);
  }

  /**
   * The backend's call, once it exists (its Call-ID, codec, DTMF sending).
   *
   * @param call the backend's call
   */
  public void bind(SipCall call) {
    this.sip = call;
  }

  /**
   * The rate the call's audio runs at: the backend's once it connected, 8000 before.
   *
   * @return samples per second
   */
  public int rate() {
    SipCall c = sip;
    return c == null ? AudioFrames.SAMPLE_RATE : c.audioRate();
  }

  /**
   * SipPlayWavFiles: one utterance of decoded clips behind everything queued.
   *
   * @throws IllegalArgumentException when the clips hold no samples
   * @param clips the clips, decoded to the call's {@link #rate()}, played in order
   * @return the playback, which completes when played or cut short
   */
  public Playback play(List<short[]> clips) {
    Playback p;
    synchronized (lock) {
      // Known by its id before the pacer can play a sample of it: a clear may name it at once.
      p = queue.enqueue(clips);
      prompts.put(p.utteranceId(), p.utterance());
    }
    // Removing an entry cannot fail: nothing to observe.
    var unused =
        p.completion()
            .whenComplete(
                (r, e) -> {
                  synchronized (lock) {
                    prompts.remove(p.utteranceId());
                  }
                });
    return p;
  }

  /**
   * SipMute / SipUnMute: silence while the queue and the timeline run on.
   *
   * @param muted true to send silence
   */
  public void setMuted(boolean muted) {
    queue.setMuted(muted);
  }

  /**
   * Whether SipMute is in force.
   *
   * @return true while muted
   */
  public boolean isMuted() {
    return queue.isMuted();
  }

  /** The call connected (on the line's actor): its streams hear CallState(connected). */
  public void connected() {
    SipCall c = sip;
    if (c != null) {
      queue.setRate(c.audioRate());
    }
    synchronized (lock) {
      connected = true;
      started = true;
      long at = queue.tick();
      int rate = rate();
      for (CallStream s : streams) {
        s.adoptRate(rate);
        s.connected(at);
      }
    }
    hub.connected(this);
    wakeStreams();
  }

  /**
   * The far end held or resumed the call (on the line's actor): its streams hear CallState(held or
   * resumed) with {@code reason}.
   *
   * @param held true when the far end put the call on hold, false when it took it back
   * @param reason the change in words
   */
  public void holdChanged(boolean held, String reason) {
    synchronized (lock) {
      long at = queue.tick();
      for (CallStream s : streams) {
        s.holdChanged(held, reason, at);
      }
    }
    wakeStreams();
  }

  /**
   * The call ended (on the line's actor): each stream gets its remaining caller frames, its pending
   * marks as CALL_ENDED, then CallState(ended) and its statistics. Streams opened with NEXT for a
   * call that never got going wait for the next one instead.
   *
   * @param sipCode the SIP response that ended it, or 0
   * @param reason in words
   */
  public void ended(int sipCode, String reason) {
    hub.ended(this, sipCode, reason);
    wakeStreams();
  }

  /**
   * The call's Call-ID, once the backend's call is bound.
   *
   * @return the Call-ID, or "" before {@link #bind}
   */
  public String callId() {
    SipCall s = sip;
    return s == null ? "" : s.callId();
  }

  // ---- for the hub and the streams (package) -----------------------------------------------

  SipCall sip() {
    return sip;
  }

  boolean isStarted() {
    return started;
  }

  boolean isEnded() {
    return ended;
  }

  /** Under the hub's and this lock: ends the call's side of every stream, or un-binds them. */
  List<CallStream> end(int sipCode, String reason) {
    List<CallStream> unstarted = new ArrayList<>();
    settle();
    ended = true;
    if (!started) {
      for (CallStream s : List.copyOf(streams)) {
        remove(s);
        s.unbind();
        unstarted.add(s);
      }
      writer = null;
      queue.endCall();
      return unstarted;
    }
    for (CallStream s : streams) {
      s.beginEnding();
      if (s.writer != null) {
        s.writer.release("ended with the call");
      }
    }
    queue.endCall();
    settle();
    long at = queue.tick();
    for (CallStream s : streams) {
      s.emit(
          seq ->
              new MediaEvent.CallState(seq, MediaEvent.CallState.State.ENDED, sipCode, reason, at));
      s.awaitedClear = null;
    }
    writer = null;
    return unstarted;
  }

  /** Under the hub's and this lock: {@code s} joins the call at the timeline's current position. */
  void attach(CallStream s) {
    s.bind(this, queue.tick(), queue.state());
    streams.add(s);
    streamsChanged();
    snapshot = streams.toArray(new CallStream[0]);
    if (s.writer != null) {
      writer = s;
    }
    if (connected) {
      s.connected(queue.tick());
    }
  }

  CallStream writer() {
    return writer;
  }

  /**
   * Under this lock: the writer left (closed, taken over, detached); its audio goes at the next
   * frame, its pending marks resolve DETACHED. A detached writer keeps the call's writer slot
   * ({@code keepSlot}) for its resume.
   */
  ClearRequest dropWriterAudio(CallStream s, String why, boolean keepSlot) {
    s.writer.release(why);
    if (writer == s && !keepSlot) {
      writer = null;
    }
    return queue.clear(null, "", s, MarkOutcome.DETACHED, null);
  }

  /** Under this lock: a detached writer past its grace lets the call go. */
  void forgetWriter(CallStream s) {
    if (writer == s) {
      writer = null;
    }
  }

  /** Under this lock: the stream handed out its Statistics, or was given up. */
  void streamFinished(CallStream s) {
    s.finish();
    remove(s);
    if (writer == s) {
      writer = null;
    }
    hub.forget(s);
  }

  private void remove(CallStream s) {
    if (streams.remove(s)) {
      snapshot = streams.toArray(new CallStream[0]);
      streamsChanged();
    }
  }

  /** Under this lock: the streams or a stream's phase changed; the next settle runs in full. */
  void streamsChanged() {
    streamsVersion++;
  }

  /** Under this lock: a queued prompt by its utterance id, or null. */
  Utterance prompt(String id) {
    return prompts.get(id);
  }

  /** The Opened event of {@code s}; made when the client takes it, with the codec known by then. */
  MediaEvent.Opened opened(CallStream s, long sequence, boolean resumed, long position) {
    SipCall c = sip;
    return new MediaEvent.Opened(
        sequence,
        c == null ? "" : c.callId(),
        remote,
        incoming,
        c == null ? "" : c.audioCodec(),
        rate(),
        s.inbound,
        s.outbound,
        s.inboundFrameMs,
        s.maxInboundLagMs,
        s.maxQueuedMs,
        s.writer == null ? "" : s.token,
        s.writer == null ? 0 : (int) hub.grace().toMillis(),
        resumed,
        position);
  }

  /**
   * Interrupt: clears ahead of anything a client has buffered. The future completes once the clear
   * was applied and sent, with what it dropped (sequence 0: it answers an rpc, not a stream).
   */
  CompletableFuture<MediaEvent.Cleared> interrupt(String through) {
    CompletableFuture<ClearRequest> applied = new CompletableFuture<>();
    ClearRequest[] request = new ClearRequest[1];
    synchronized (lock) {
      Utterance target = null;
      if (!through.isEmpty()) {
        target = writer != null && writer.writer != null ? writer.writer.find(through) : null;
        if (target == null) {
          target = prompts.get(through);
        }
        if (target == null) {
          throw new org.sipline.core.InvalidArgumentException(
              "through_utterance", "unknown utterance '" + through + "' in call " + callId());
        }
      }
      if (writer != null && writer.writer != null) {
        writer.writer.fence(through);
      }
      request[0] =
          queue.clear(
              target,
              through,
              null,
              MarkOutcome.CLEARED,
              () -> {
                synchronized (lock) {
                  settle();
                }
                wakeStreams();
                applied.complete(request[0]);
              });
    }
    wakeStreams();
    return applied.thenApply(c -> c.toEvent(0));
  }

  // ---- settling the pacer's facts into events (under this lock) -----------------------------

  /** Turns what the pacer recorded into events, in order; reports playout; rearms the wake-ups. */
  void settle() {
    boolean factsTaken = false;
    for (Fact f = queue.takeFacts(); f != null; ) {
      factsTaken = true;
      Fact next = f.nextFact;
      f.nextFact = null;
      if (f instanceof Mark m) {
        deliver(m);
      } else if (f instanceof Utterance u) {
        deliver(u);
      } else if (f instanceof ClearRequest c) {
        deliver(c);
      }
      f = next;
    }
    if (streams.isEmpty()) {
      settledState = null;
      return;
    }
    PlaybackQueue.QueueState q = queue.state();
    if (memoize
        && !factsTaken
        && q.equals(settledState)
        && streamsVersion == settledVersion
        && writer == settledWriter
        && xonLevel() == settledXonLevel) {
      return; // the loop below would emit nothing and arm the same wake-ups
    }
    long due = Long.MAX_VALUE;
    for (CallStream s : streams) {
      settleSteps++;
      if (s.phase() != CallStream.Phase.ATTACHED) {
        continue;
      }
      boolean played = q.lastAudioFrame() >= s.lastPlayoutTick;
      if (played && q.tick() >= s.lastPlayoutTick + s.playoutIntervalSamples()) {
        s.lastPlayoutTick = q.tick();
        s.emit(
            seq ->
                new MediaEvent.Playout(
                    seq,
                    q.playedPosition(),
                    q.utteranceId(),
                    q.utterancePlayed(),
                    false,
                    (int) (q.queuedSamples() / samplesPerMs()),
                    q.paused()));
        played = false;
      }
      if (played || (q.queuedSamples() > 0 && !q.paused())) {
        due = Math.min(due, s.lastPlayoutTick + s.playoutIntervalSamples());
      }
    }
    if (writer != null && writer.writer != null) {
      writer.writer.checkXon(q.queuedSamples());
    }
    long below = xonLevel();
    queue.wakeAt(due == Long.MAX_VALUE ? -1 : due, below);
    // Run again on these inputs, the loop is a no-op: a stream it reported has lastPlayoutTick ==
    // tick > lastAudioFrame, so it is not "played", and checkXon already said what it had to.
    settledState = q;
    settledVersion = streamsVersion;
    settledWriter = writer;
    settledXonLevel = below;
  }

  /** The writer's flow-control level ({@link Writer#xonLevel}), or -1 without a writer. */
  private long xonLevel() {
    return writer != null && writer.writer != null ? writer.writer.xonLevel() : -1;
  }

  private void deliver(Mark m) {
    for (CallStream s : streams) {
      if (s == m.owner || s.writer == null) {
        if (s == m.owner) {
          if (m.outcome() == MarkOutcome.PLAYED) {
            s.marksPlayed++;
          } else if (m.outcome() == MarkOutcome.CLEARED) {
            s.marksCleared++;
          }
        }
        s.emit(seq -> new MediaEvent.MarkResolved(seq, m.id, m.outcome(), m.position()));
      }
    }
  }

  private void deliver(Utterance u) {
    PlaybackQueue.QueueState q = queue.state();
    for (CallStream s : streams) {
      s.emit(
          seq ->
              new MediaEvent.Playout(
                  seq,
                  u.endPosition(),
                  u.id,
                  u.played(),
                  true,
                  (int) (q.queuedSamples() / samplesPerMs()),
                  q.paused()));
    }
  }

  private void deliver(ClearRequest c) {
    Object asker = c.owner != null ? c.owner : writer;
    int micros = (int) Math.min(Integer.MAX_VALUE, c.latencyNanos() / 1000);
    for (CallStream s : streams) {
      if (s == asker || s.writer == null) {
        if (s == asker) {
          s.maxClearLatencyMicros = Math.max(s.maxClearLatencyMicros, micros);
        }
        s.emit(c::toEvent);
      }
      if (s.awaitedClear == c) {
        s.awaitedClear = null;
      }
    }
  }

  // ---- caller audio and DTMF ---------------------------------------------------------------

  /** The backend's sink: caller audio, gaps and digits, on its receive or signalling thread. */
  private final class Inbound implements AudioSink {
    @Override
    public void write(short[] pcm, int offset, int length) {
      receive(pcm, offset, length);
    }

    @Override
    public void missing(int samples) {
      receive(null, 0, samples);
    }

    @Override
    public void dtmf(DtmfEvent event) {
      CallAudio.this.dtmf(event);
    }
  }

  private void receive(short[] pcm, int offset, int length) {
    if (length <= 0) {
      return;
    }
    synchronized (lock) {
      if (ended) {
        return;
      }
      if (!anchored) {
        if (pcm == null) {
          return; // nothing is missing before the first packet
        }
        anchored = true;
        started = true;
        inboundPosition = queue.tick();
        int rate = rate(); // fixed before the first packet; the actor may not have said it yet
        for (CallStream s : streams) {
          s.adoptRate(rate);
        }
      }
      history.write(pcm, offset, length, inboundPosition);
      for (CallStream s : streams) {
        s.receive(pcm, offset, length, inboundPosition);
      }
      inboundPosition += length;
    }
    wakeStreams();
  }

  // digitsReceived is written under the lock only; volatile so that the actor reads the latest.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void dtmf(DtmfEvent e) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      settle(); // what the pacer settled before the digit is told before it
      if (e.end()) {
        digitsReceived++;
      }
      int code = DtmfEvent.DIGITS.indexOf(e.digit());
      long now = anchored ? inboundPosition : queue.tick();
      long at;
      if (!e.end()) {
        digitStart[code] = now;
        at = now;
      } else {
        long start = digitStart[code];
        at = start >= 0 ? start : Math.max(0, now - e.durationMillis() * (long) samplesPerMs());
        digitStart[code] = -1;
      }
      for (CallStream s : streams) {
        if (e.end()) {
          s.digitsIn++;
        }
        s.emit(
            seq ->
                new MediaEvent.Dtmf(seq, e.digit(), e.end(), at, e.durationMillis(), e.source()));
      }
    }
    wakeStreams();
  }

  /**
   * DTMF digits received on this call (their end), for the call record.
   *
   * @return the count
   */
  public int digitsReceived() {
    return digitsReceived;
  }

  /**
   * DTMF digits sent on this call, for the call record.
   *
   * @return the count
   */
  public int digitsSent() {
    return digitsSent;
  }

  // Written under the lock only; volatile so that the line's actor reads the latest count.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  void digitSent() {
    digitsSent++;
  }

  /** Samples per millisecond at the call's rate: 8 for G.711. */
  int samplesPerMs() {
    return queue.rate() / 1000;
  }

  InboundHistory history() {
    return history;
  }

  // ---- waking clients ----------------------------------------------------------------------

  /** The pacer recorded facts (or a wake-up it asked for came due): waiting clients poll. */
  private void factsRecorded() {
    if (Thread.holdsLock(lock)) {
      // Recorded while this lock is held (the call's end, a clear on a closed queue): the
      // streams are woken when it is released, never with it held.
      for (CallStream s : snapshot) {
        s.wakeWanted = true;
      }
      return;
    }
    for (CallStream s : snapshot) {
      s.handle().wake();
    }
  }

  /** Wakes the clients of streams that got something under the lock; outside the lock. */
  void wakeStreams() {
    for (CallStream s : snapshot) {
      if (s.wakeWanted) {
        s.wakeWanted = false;
        s.handle().wake();
      }
    }
  }

  /** Under this lock. */
  List<CallStream> streams() {
    return streams;
  }

  @Override
  public String toString() {
    return "CallAudio[" + callId() + (ended ? ", ended" : "") + "]";
  }
}

package org.sipline.core.media;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.sipline.core.spi.AudioFrames;

/**
 * What one Converse or Listen stream is, apart from the client that reads it: its events waiting to
 * be taken (control events in order, never dropped; caller audio in a bounded ring), its numbering,
 * its counters, and where it stands. It outlives its {@link StreamHandle} when the client goes away
 * and comes back with the resume token. Guarded by its call's lock (the hub's while it waits for a
 * call); {@link #withLock} takes the right one.
 */
final class CallStream {
  /** Where a stream stands. Changed only through {@link #moveTo}. */
  enum Phase {
    /** Opened with NEXT, waiting for a call. */
    PENDING,
    /** Bound to a call (maybe not connected yet): events flow. */
    ATTACHED,
    /** Its last events are being handed out: caller frames, then the tail, then Statistics. */
    ENDING,
    FINISHED;

    Phase to(Phase next) {
      boolean ok =
          switch (this) {
            case PENDING -> next == ATTACHED || next == FINISHED;
            case ATTACHED -> next == PENDING || next == ENDING || next == FINISHED;
            case ENDING -> next == FINISHED;
            case FINISHED -> false;
          };
      if (!ok) {
        throw new IllegalStateException("stream phase " + this + " -> " + next);
      }
      return next;
    }
  }

  /** Control events handed out within this long before a detach are handed out again on resume. */
  private static final long RESEND_NANOS = 2_000_000_000L;

  private static final int RESEND_MAX = 1024;

  /** A control event handed out, and when. */
  private record Handed(long nanos, MediaEvent event) {}

  final MediaHub hub;

  /** The writer's role, or null for a Listen stream. */
  final Writer writer;

  final String token;

  /** What the client asked for; {@link #inbound} and {@link #outbound} are what it was granted. */
  private final AudioFormat askedInbound;

  private final AudioFormat askedOutbound;

  // Resolved against the call's rate when the stream binds and whenever that rate turns out to be
  // another (a call whose codec is wideband); read by the client's threads.
  volatile AudioFormat inbound;
  volatile AudioFormat outbound;
  final int inboundFrameMs;
  final int maxInboundLagMs;
  final int maxQueuedMs;
  final int playoutIntervalMs;
  private volatile InboundFramer framer;

  private volatile CallAudio call;
  private Phase phase = Phase.PENDING;
  private StreamHandle handle;
  private boolean detached;
  private long detachedNanos;
  ScheduledFuture<?> graceTimer;

  private final ArrayDeque<MediaEvent> control = new ArrayDeque<>();
  private final ArrayDeque<MediaEvent> tail = new ArrayDeque<>();
  private final ArrayDeque<Handed> recent = new ArrayDeque<>();
  private final ArrayDeque<MediaEvent> resend = new ArrayDeque<>();
  private long nextSequence = 2; // 1 is the first Opened

  /** A NEXT stream's first event, CallState(WAITING), is still to be handed out. */
  private boolean waitingDue;

  private boolean openedDue = true;
  private long openedSequence = 1;
  private boolean resumed;
  private long attachPosition;
  private boolean connectedSent;
  private boolean statisticsSent;

  /** A clear this stream's end waits for (its writer left): its Cleared comes before Statistics. */
  ClearRequest awaitedClear;

  /** An event became available under the lock; the client is woken once it is released. */
  volatile boolean wakeWanted;

  long lastPlayoutTick;

  // Counters (StreamCounters); the queue's ones are taken relative to the attach.
  long framesSent;
  long chunksRejected;
  long marksPlayed;
  long marksCleared;
  int maxClearLatencyMicros;
  long digitsIn;
  long digitsOut;
  private long underrunsAtAttach;
  private long playedAtAttach;

  CallStream(MediaHub hub, boolean converse, ConverseOptions o, String token) {
    this.hub = hub;
    this.token = token;
    this.askedInbound = o.inbound();
    this.askedOutbound = o.outbound();
    this.inbound = resolve(o.inbound(), AudioFrames.SAMPLE_RATE);
    this.outbound = resolve(o.outbound(), AudioFrames.SAMPLE_RATE);
    this.inboundFrameMs = o.inboundFrameMs();
    this.maxInboundLagMs = o.maxInboundLagMs();
    this.maxQueuedMs = o.maxQueuedMs();
    this.playoutIntervalMs = o.playoutIntervalMs();
    this.framer =
        new InboundFramer(inbound, AudioFrames.SAMPLE_RATE, inboundFrameMs, maxInboundLagMs);
    this.writer = converse ? new Writer(this) : null;
    this.handle = new StreamHandle(this);
    if (o.call() == CallSelector.NEXT) {
      // Said at once, so the client knows its Open was taken while no call is there to open.
      waitingDue = true;
      openedSequence = 2;
      nextSequence = 3;
    }
  }

  /**
   * The format granted on a call at {@code callRate}: a 0 rate means the call's; µ-law and A-law
   * are 8 kHz. A LINEAR16 rate that is neither the call's nor 2 to 6 times it or a 2nd to a 6th of
   * it (24 kHz on a 16 kHz G.722 call) is granted at the call's rate instead: Opened says so.
   */
  static AudioFormat resolve(AudioFormat f, int callRate) {
    if (f.encoding() != AudioEncoding.LINEAR16) {
      return new AudioFormat(f.encoding(), AudioFrames.SAMPLE_RATE);
    }
    if (f.sampleRate() == 0) {
      return new AudioFormat(f.encoding(), callRate);
    }
    int rate = f.sampleRate();
    int high = Math.max(rate, callRate);
    int low = Math.min(rate, callRate);
    if (high % low != 0 || high / low > 6) {
      return new AudioFormat(f.encoding(), callRate);
    }
    return f;
  }

  /**
   * Under the call's lock: the call's audio runs at {@code callRate}; when the formats were
   * resolved for another, they are again and the framer starts afresh (nothing was received at the
   * old rate: the rate is fixed before the call's first packet).
   */
  void adoptRate(int callRate) {
    if (framer.callRate() == callRate) {
      return;
    }
    inbound = resolve(askedInbound, callRate);
    outbound = resolve(askedOutbound, callRate);
    framer = new InboundFramer(inbound, callRate, inboundFrameMs, maxInboundLagMs);
  }

  /** The framer, for the call's caller-audio side (under its lock). */
  InboundFramer framer() {
    return framer;
  }

  // ---- locking -----------------------------------------------------------------------------

  /** Runs {@code action} under the lock that guards this stream now, then wakes who is due. */
  <T> T withLock(Supplier<T> action) {
    while (true) {
      CallAudio c = call;
      Object lock = c != null ? c.lock : hub.lock;
      T result;
      synchronized (lock) {
        if (call != c) {
          continue; // bound or unbound meanwhile: take the other lock
        }
        result = action.get();
      }
      if (c != null) {
        c.wakeStreams();
      }
      return result;
    }
  }

  CallAudio call() {
    return call;
  }

  // ---- life (under the lock) ---------------------------------------------------------------

  Phase phase() {
    return phase;
  }

  void moveTo(Phase next) {
    phase = phase.to(next);
    CallAudio c = call;
    if (c != null) {
      c.streamsChanged(); // its settle reads the phase of every stream it holds
    }
  }

  boolean isLive() {
    return phase == Phase.ATTACHED || phase == Phase.ENDING;
  }

  boolean isDetached() {
    return detached;
  }

  StreamHandle handle() {
    return handle;
  }

  /**
   * Bound to {@code c} (under both the hub's and the call's lock), at timeline {@code position}.
   */
  void bind(CallAudio c, long position, PlaybackQueue.QueueState state) {
    call = c;
    adoptRate(c.rate());
    moveTo(Phase.ATTACHED);
    attachPosition = position;
    lastPlayoutTick = position;
    underrunsAtAttach = state.underruns();
    playedAtAttach = state.playedSamples();
  }

  /** Back to waiting: the call it was bound to failed before it connected. */
  void unbind() {
    call = null;
    moveTo(Phase.PENDING);
  }

  /** The call is up: CallState(connected) once. */
  void connected(long position) {
    if (!connectedSent) {
      connectedSent = true;
      emit(
          seq ->
              new MediaEvent.CallState(
                  seq, MediaEvent.CallState.State.CONNECTED, 0, "connected", position));
    }
  }

  /** The far end held or resumed the call: CallState(held or resumed), after connected. */
  void holdChanged(boolean held, String reason, long position) {
    if (connectedSent) {
      emit(
          seq ->
              new MediaEvent.CallState(
                  seq,
                  held ? MediaEvent.CallState.State.HELD : MediaEvent.CallState.State.RESUMED,
                  0,
                  reason,
                  position));
    }
  }

  /** From now on control events join the tail: they come after the remaining caller frames. */
  void beginEnding() {
    if (phase == Phase.ATTACHED) {
      moveTo(Phase.ENDING);
    }
  }

  void finish() {
    if (phase != Phase.FINISHED) {
      moveTo(Phase.FINISHED);
    }
    control.clear();
    tail.clear();
    resend.clear();
    recent.clear();
    wakeWanted = true; // a reader waiting learns it is over
  }

  /** The client is gone: nothing is read until a resume; control events keep being kept. */
  void detach() {
    detached = true;
    detachedNanos = System.nanoTime();
    framer.discard();
  }

  /**
   * A client came back with the token: a new handle, a fresh Opened, then every control event the
   * old client did not take (or took in its last two seconds), then the call's recent audio.
   */
  StreamHandle resume(InboundHistory history, long position) {
    detached = false;
    handle.kill();
    handle = new StreamHandle(this);
    resumed = true;
    waitingDue = false;
    openedDue = true;
    openedSequence = nextSequence++;
    attachPosition = position;
    long since = detachedNanos - RESEND_NANOS;
    for (Handed h : recent) {
      if (h.nanos() >= since) {
        resend.add(h.event());
      }
    }
    recent.clear();
    framer.restart(history.endPosition(), history.size());
    history.replayInto(framer);
    wakeWanted = true;
    return handle;
  }

  // ---- events (under the lock) -------------------------------------------------------------

  /** Numbers and queues a control event; dropped once the stream finished. */
  void emit(LongFunction<MediaEvent> make) {
    if (phase == Phase.FINISHED || phase == Phase.PENDING) {
      return;
    }
    MediaEvent e = make.apply(nextSequence++);
    (phase == Phase.ENDING ? tail : control).add(e);
    wakeWanted = true;
  }

  /** Caller audio from the receive thread. */
  void receive(short[] pcm, int offset, int length, long position) {
    if (phase != Phase.ATTACHED || detached) {
      return;
    }
    framer.write(pcm, offset, length, position);
    if (framer.ready(false)) {
      wakeWanted = true;
    }
  }

  /** The next event for the client, or null: see {@link MediaStream#poll()} for the order. */
  MediaEvent poll(StreamHandle from) {
    if (from != handle || detached || phase == Phase.FINISHED) {
      return null;
    }
    if (waitingDue) {
      waitingDue = false;
      return new MediaEvent.CallState(
          1, MediaEvent.CallState.State.WAITING, 0, "waiting for the next call", 0);
    }
    if (phase == Phase.PENDING) {
      return null;
    }
    CallAudio c = call;
    c.settle();
    if (openedDue) {
      if (!c.isStarted()) {
        return null;
      }
      openedDue = false;
      return remember(c.opened(this, openedSequence, resumed, attachPosition));
    }
    if (!resend.isEmpty()) {
      return remember(resend.poll());
    }
    if (!control.isEmpty()) {
      return remember(control.poll());
    }
    MediaEvent.AudioIn audio = framer.next(phase == Phase.ENDING);
    if (audio != null) {
      framesSent++;
      return audio;
    }
    if (phase != Phase.ENDING) {
      return null;
    }
    if (!tail.isEmpty()) {
      return remember(tail.poll());
    }
    if (awaitedClear != null || statisticsSent) {
      return null;
    }
    statisticsSent = true;
    MediaEvent stats = new MediaEvent.Statistics(nextSequence++, counters());
    c.streamFinished(this);
    return stats;
  }

  private MediaEvent remember(MediaEvent e) {
    if (writer != null) {
      long now = System.nanoTime();
      recent.add(new Handed(now, e));
      while (recent.size() > RESEND_MAX || recent.peekFirst().nanos() < now - RESEND_NANOS) {
        recent.pollFirst();
      }
    }
    return e;
  }

  boolean isFinished() {
    return phase == Phase.FINISHED;
  }

  StreamCounters counters() {
    CallAudio c = call;
    PlaybackQueue.QueueState q = c == null ? null : c.queue.state();
    return new StreamCounters(
        framesSent,
        framer.framesDropped(),
        framer.maxLagMs(),
        q == null ? 0 : (int) (q.queuedSamples() / c.samplesPerMs()),
        q == null ? 0 : q.underruns() - underrunsAtAttach,
        chunksRejected,
        marksPlayed,
        marksCleared,
        maxClearLatencyMicros,
        digitsIn,
        digitsOut,
        framer.concealedDelivered(),
        q == null ? 0 : q.playedSamples() - playedAtAttach);
  }

  long playoutIntervalSamples() {
    CallAudio c = call;
    return playoutIntervalMs * (long) (c == null ? 8 : c.samplesPerMs());
  }

  @Override
  public String toString() {
    return (writer != null ? "Converse" : "Listen")
        + "["
        + phase
        + (detached ? ", detached" : "")
        + (call == null ? "" : ", " + call.callId())
        + "]";
  }
}

package org.sipline.core.audio;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import org.sipline.core.audio.PlaybackResult.Outcome;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's outgoing audio: playback requests queued FIFO and read out as 20 ms frames of 8 kHz PCM
 * by the backend's pacer.
 *
 * <p>Requests follow each other without a gap: the next clip, or the next request, continues in the
 * same frame; after the last queued sample the frame is padded with silence. While muted, frames
 * are silence but the queue is consumed as if played, so a request completes at the same moment
 * muted or not (SPEC: "playback time keeps running").
 *
 * <p>Threads: {@link #read} is called by the pacer every 20 ms; {@link #enqueue}, {@link
 * Playback#cancel}, {@link #setMuted} and {@link #interruptAll} come from any other thread. All of
 * them hold one lock for a copy of at most one frame. {@code read} allocates nothing, not even in
 * the frame where a request ends (its result and completing task were made when it was queued, and
 * the requests ended in one frame are chained through themselves): a pacer thread that allocates
 * can be stalled by a full heap, and with it the RTP of every call. A request's future is completed
 * on the completion executor, never on the pacer thread, so no user code runs there; what that
 * executor allocates to queue the task is its own.
 */
public final class PlaybackQueue implements AudioSource {
  private static final Logger log = LoggerFactory.getLogger(PlaybackQueue.class);
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  private final Executor completionExecutor;
  private final Object lock = new Object();
  private final ArrayDeque<Playback> requests = new ArrayDeque<>(); // guarded by lock
  private volatile boolean muted;

  /** Completes futures on {@link ForkJoinPool#commonPool()}. */
  public PlaybackQueue() {
    this(ForkJoinPool.commonPool());
  }

  /**
   * @param completionExecutor where each request's future is completed
   */
  public PlaybackQueue(Executor completionExecutor) {
    this.completionExecutor = Objects.requireNonNull(completionExecutor, "completionExecutor");
  }

  /**
   * Queues one request behind everything already queued or playing.
   *
   * @param clips 8 kHz mono PCM, played in order; the arrays are read as they are when played, so
   *     the caller hands them over and must not change them
   * @throws IllegalArgumentException when there is nothing to play (no clips, or all empty)
   */
  public Playback enqueue(List<short[]> clips) {
    Objects.requireNonNull(clips, "clips");
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("no clips to play");
    }
    short[][] copy = new short[clips.size()][];
    long total = 0;
    for (int i = 0; i < copy.length; i++) {
      copy[i] = clips.get(i);
      if (copy[i] == null) {
        throw new NullPointerException("clip " + i + " is null");
      }
      total += copy[i].length;
    }
    if (total == 0) {
      throw new IllegalArgumentException("the " + copy.length + " clip(s) hold no samples");
    }
    Playback playback = new Playback(this, copy, total);
    synchronized (lock) {
      requests.addLast(playback);
    }
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

  /**
   * Fills {@code frame} with the next 20 ms: queued audio, then silence.
   *
   * @return true when the frame carries queued audio and the queue is not muted
   * @throws IllegalArgumentException when {@code frame} is not {@value AudioFrames#FRAME_SAMPLES}
   *     samples long
   */
  @Override
  public boolean read(short[] frame) {
    if (frame.length != FRAME) {
      throw new IllegalArgumentException("frame length " + frame.length + " != " + FRAME);
    }
    Playback ended = null; // the first request that ends in this frame, chained to the next
    Playback last = null;
    int filled = 0;
    boolean silent;
    synchronized (lock) {
      silent = muted;
      while (filled < FRAME && !requests.isEmpty()) {
        Playback head = requests.peekFirst();
        filled += head.take(frame, filled, FRAME - filled, silent);
        if (head.isExhausted()) {
          requests.pollFirst();
          head.finish(Outcome.PLAYED);
          if (last == null) {
            ended = head;
          } else {
            last.chain(head);
          }
          last = head;
        }
      }
    }
    Arrays.fill(frame, filled, FRAME, (short) 0);
    complete(ended);
    return filled > 0 && !silent;
  }

  /** Ends every queued or playing request as {@link Outcome#INTERRUPTED} (the call ended). */
  public void interruptAll() {
    Playback ended = null;
    Playback last = null;
    synchronized (lock) {
      for (Playback p = requests.pollFirst(); p != null; p = requests.pollFirst()) {
        p.finish(Outcome.INTERRUPTED);
        if (last == null) {
          ended = p;
        } else {
          last.chain(p);
        }
        last = p;
      }
    }
    complete(ended);
  }

  /** Muted, frames are silence while queued audio keeps being consumed in real time. */
  public void setMuted(boolean muted) {
    this.muted = muted;
  }

  public boolean isMuted() {
    return muted;
  }

  void cancel(Playback playback) {
    synchronized (lock) {
      if (!requests.remove(playback)) {
        return; // already ended
      }
      playback.finish(Outcome.CANCELLED);
    }
    complete(playback);
  }

  /**
   * Completes the future of {@code first} and of each request chained after it, in that order, on
   * the executor, outside the lock.
   */
  private void complete(Playback first) {
    for (Playback p = first; p != null; ) {
      // Unlinked before the hand-over: the chain is this thread's alone until then.
      Playback next = p.unchain();
      try {
        completionExecutor.execute(p.completer());
      } catch (RejectedExecutionException e) {
        // The owner shut its executor down; finishing here beats a future that never completes.
        log.warn(
            "Completion executor refused a playback completion ({}); completing in place",
            e.toString());
        p.completer().run();
      }
      p = next;
    }
  }
}

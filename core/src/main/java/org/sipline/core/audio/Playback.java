package org.sipline.core.audio;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.sipline.core.audio.PlaybackResult.Outcome;

/**
 * One request in a {@link PlaybackQueue}: its clips, how far they have played, and the future that
 * reports how it ended. Its position is guarded by the queue's lock.
 */
public final class Playback {
  private final PlaybackQueue queue;
  private final short[][] clips;
  private final long totalSamples;
  private final CompletableFuture<PlaybackResult> completion = new CompletableFuture<>();

  /**
   * Made by the thread that queues the request, so that the pacer thread, which ends it when its
   * last sample is read, allocates nothing: with the heap full, an allocation there would stall the
   * RTP of every call until the collector caught up.
   */
  private final PlaybackResult played;

  private final Runnable completer = this::complete;

  // Guarded by the queue's lock.
  private int clip;
  private int offset;
  private long playedSamples;
  private PlaybackResult result;

  /** The next request that ended in the same turn of the queue (a chain without a list). */
  private Playback nextEnded;

  Playback(PlaybackQueue queue, short[][] clips, long totalSamples) {
    this.queue = queue;
    this.clips = clips;
    this.totalSamples = totalSamples;
    this.played = new PlaybackResult(totalSamples, totalSamples, Outcome.PLAYED);
    skipEmptyClips();
  }

  /**
   * Completes with the result once the request has played, was cancelled or interrupted; once.
   * Cancelling this future cancels the request (barge-in), like {@link #cancel()}.
   */
  public CompletableFuture<PlaybackResult> completion() {
    return completion;
  }

  /**
   * Drops what has not been played yet and completes the request as {@link Outcome#CANCELLED}; the
   * queue's next request starts in the next frame. Does nothing once the request ended.
   */
  public void cancel() {
    queue.cancel(this);
  }

  public long totalSamples() {
    return totalSamples;
  }

  /**
   * Moves up to {@code max} samples into {@code frame} from {@code at} on, zeros instead when
   * {@code muted}; returns how many were taken.
   */
  int take(short[] frame, int at, int max, boolean muted) {
    int taken = 0;
    while (taken < max && clip < clips.length) {
      short[] current = clips[clip];
      int n = Math.min(max - taken, current.length - offset);
      if (muted) {
        Arrays.fill(frame, at + taken, at + taken + n, (short) 0);
      } else {
        System.arraycopy(current, offset, frame, at + taken, n);
      }
      offset += n;
      taken += n;
      skipEmptyClips();
    }
    playedSamples += taken;
    return taken;
  }

  boolean isExhausted() {
    return clip == clips.length;
  }

  /**
   * The one transition: pending → ended with {@code outcome}. Returns false if already ended.
   * Ending as {@link Outcome#PLAYED} (every sample taken) allocates nothing.
   */
  boolean finish(Outcome outcome) {
    if (result != null) {
      return false;
    }
    result =
        outcome == Outcome.PLAYED && playedSamples == totalSamples
            ? played
            : new PlaybackResult(playedSamples, totalSamples, outcome);
    return true;
  }

  /** Set by {@link #finish}; read after the queue's lock was released, by the completing task. */
  PlaybackResult result() {
    return result;
  }

  /**
   * Completes the future with the result {@link #finish} set; handed to the completion executor,
   * whose hand-over publishes that result to the thread that runs it.
   */
  Runnable completer() {
    return completer;
  }

  private void complete() {
    completion.complete(result);
  }

  /** Links {@code ended} after this request in the chain of requests ended in one turn. */
  void chain(Playback ended) {
    nextEnded = ended;
  }

  /** The request ended after this one in the same turn, or null; unlinks it. */
  Playback unchain() {
    Playback next = nextEnded;
    nextEnded = null;
    return next;
  }

  private void skipEmptyClips() {
    while (clip < clips.length && offset == clips[clip].length) {
      clip++;
      offset = 0;
    }
  }

  @Override
  public String toString() {
    return "Playback["
        + clips.length
        + " clip(s), "
        + totalSamples
        + " samples, "
        + (completion.isDone() ? "done" : "pending")
        + "]";
  }
}

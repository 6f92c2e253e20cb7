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

  // Guarded by the queue's lock.
  private int clip;
  private int offset;
  private long playedSamples;
  private PlaybackResult result;

  Playback(PlaybackQueue queue, short[][] clips, long totalSamples) {
    this.queue = queue;
    this.clips = clips;
    this.totalSamples = totalSamples;
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
   * Drops what has not been played yet and completes the request as {@link Outcome#CANCELLED};
   * the queue's next request starts in the next frame. Does nothing once the request ended.
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

  /** The one transition: pending → ended with {@code outcome}. Returns false if already ended. */
  boolean finish(Outcome outcome) {
    if (result != null) {
      return false;
    }
    result = new PlaybackResult(playedSamples, totalSamples, outcome);
    return true;
  }

  /** Set by {@link #finish}; read after the queue's lock was released, by the completing task. */
  PlaybackResult result() {
    return result;
  }

  private void skipEmptyClips() {
    while (clip < clips.length && offset == clips[clip].length) {
      clip++;
      offset = 0;
    }
  }

  @Override
  public String toString() {
    return "Playback[" + clips.length + " clip(s), " + totalSamples + " samples, "
        + (completion.isDone() ? "done" : "pending") + "]";
  }
}

package org.sipline.core.media;

import java.util.concurrent.CompletableFuture;
import org.sipline.core.media.PlaybackResult.Outcome;

/**
 * One SipPlayWavFiles request in a call's playback queue: one utterance (its files back to back)
 * and the future that reports how it ended. It plays in the same queue as a live writer's speech,
 * so marks, clears and Playout reports cover it too.
 */
public final class Playback {
  private final PlaybackQueue queue;
  private final Utterance utterance;
  private final long totalSamples;
  private final CompletableFuture<PlaybackResult> completion = new CompletableFuture<>();

  /**
   * Made by the thread that queues the request, so that the pacer thread, which ends it when its
   * last sample was sent, allocates nothing: with the heap full, an allocation there would stall
   * the RTP of every call until the collector caught up.
   */
  private final PlaybackResult played;

  private final Runnable completer = this::complete;

  // Guarded by the queue's lock.
  private PlaybackResult result;

  /** The next request that ended in the same turn of the queue (a chain without a list). */
  private Playback nextEnded;

  private final int sampleRate;

  Playback(PlaybackQueue queue, Utterance utterance, long totalSamples, int sampleRate) {
    this.queue = queue;
    this.utterance = utterance;
    this.totalSamples = totalSamples;
    this.sampleRate = sampleRate;
    this.played = new PlaybackResult(totalSamples, totalSamples, Outcome.PLAYED, sampleRate);
  }

  /**
   * Completes with the result once the request has played, was cancelled, cleared or interrupted;
   * once. Cancelling this future cancels the request (barge-in), like {@link #cancel()}.
   *
   * @return the future of the result
   */
  public CompletableFuture<PlaybackResult> completion() {
    return completion;
  }

  /**
   * Drops what has not been played yet and completes the request as {@link Outcome#CANCELLED}; the
   * queue's next utterance starts in the next frame. Does nothing once the request ended.
   */
  public void cancel() {
    queue.cancel(this);
  }

  /**
   * The length of the request.
   *
   * @return all its samples, at the call's rate
   */
  public long totalSamples() {
    return totalSamples;
  }

  /**
   * Its utterance id in the queue ("prompt-1", …): what Playout and Cleared events call it.
   *
   * @return the utterance id
   */
  public String utteranceId() {
    return utterance.id;
  }

  Utterance utterance() {
    return utterance;
  }

  /**
   * The one transition: pending → ended with {@code outcome} after {@code playedSamples}. Returns
   * false if already ended. Ending as {@link Outcome#PLAYED} allocates nothing.
   */
  boolean finish(Outcome outcome, long playedSamples) {
    if (result != null) {
      return false;
    }
    result =
        outcome == Outcome.PLAYED && playedSamples == totalSamples
            ? played
            : new PlaybackResult(
                Math.min(playedSamples, totalSamples), totalSamples, outcome, sampleRate);
    return true;
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

  @Override
  public String toString() {
    return "Playback["
        + utterance.id
        + ", "
        + totalSamples
        + " samples, "
        + (completion.isDone() ? "done" : "pending")
        + "]";
  }
}

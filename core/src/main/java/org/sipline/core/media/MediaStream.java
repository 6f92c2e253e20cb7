package org.sipline.core.media;

/**
 * One Converse or Listen stream of a call: events out by polling, and (Converse only) the bot's
 * audio and control in. Thread-safe; the commands never block and never wait for the media threads.
 *
 * <p>The reader side is pull-based so that a transport sends only while its client is ready: {@link
 * #poll()} until it returns null, then wait for the wake-up set with {@link #onAvailable}. Caller
 * audio the reader has not taken is bounded ({@code max_inbound_lag_ms}): the oldest frames are
 * dropped and the gap is reported on the next {@link MediaEvent.AudioIn}. Control events are never
 * dropped.
 *
 * <p>A stream ends by itself when its call ends (caller frames, then pending marks CALL_ENDED, then
 * {@link MediaEvent.CallState}, then {@link MediaEvent.Statistics}); {@link #isFinished()} turns
 * true once the last event was polled.
 */
public interface MediaStream {
  /**
   * The next event, or null when none is ready now. Order: a stream opened with NEXT gets {@link
   * MediaEvent.CallState} WAITING at once, before its call exists; {@link MediaEvent.Opened} first
   * otherwise, and next for NEXT once its call is there; then control events in their numbered
   * order, ahead of any caller audio waiting (a Clear's answer is never stuck behind audio); caller
   * audio in position order. At the call's end the remaining caller frames come first, then pending
   * marks (CALL_ENDED), {@link MediaEvent.CallState}, {@link MediaEvent.Statistics}.
   *
   * @return the event, or null
   */
  MediaEvent poll();

  /**
   * {@code wakeup} runs (on a media or line thread, the RTP pacer's included; it must not block and
   * should not allocate much) whenever an event becomes available after {@link #poll()} returned
   * null; it may run when nothing is new (then poll returns null again). Set once, before the first
   * poll.
   *
   * @param wakeup what to run; must not block
   */
  void onAvailable(Runnable wakeup);

  /**
   * True once the stream's last event has been polled.
   *
   * @return whether the stream is finished
   */
  boolean isFinished();

  /**
   * The token that resumes this stream within the grace period after {@link #detach()}.
   *
   * @return the token
   */
  String resumeToken();

  // ---- Converse only: a Listen stream refuses these with IllegalStateException ----

  /**
   * Queues a chunk of the bot's speech in the stream's outbound format. Refusals that are the
   * client's fault in itself throw {@link org.sipline.core.InvalidArgumentException} naming the
   * field ({@code audio.data} over 64 KiB, empty {@code audio.utterance_id}); a chunk the queue
   * cannot take (over the cap, a cleared utterance, one already ended) is answered with an {@link
   * MediaEvent.AudioRejected} event. Nothing queued before is lost either way. Chunks may have any
   * length (an odd trailing byte of LINEAR16 waits for the next chunk); a chunk of a new utterance
   * ends the one before it. After the call ended, chunks are dropped: its CallState says so.
   *
   * @param utteranceId the utterance the chunk belongs to; not empty
   * @param data the audio, at most 64 KiB
   * @param endOfUtterance true when this chunk is the utterance's last
   */
  void audio(String utteranceId, byte[] data, boolean endOfUtterance);

  /**
   * Marks the end of the audio written so far; the id must be new on this stream.
   *
   * @param id the mark's id, new on this stream
   */
  void mark(String id);

  /**
   * Drops everything queued through {@code throughUtterance} ("" = all) at the next frame.
   *
   * @param throughUtterance the last utterance to drop, or "" for all
   */
  void clear(String throughUtterance);

  /**
   * Holds the queue: silence plays and nothing queued is consumed until {@link #resume()} (a barge-
   * in that may turn out to be noise).
   */
  void pause();

  /** Continues the queue held by {@link #pause()} where it stopped. */
  void resume();

  /**
   * Sends {@code digits} one after another; bot audio waits meanwhile (frames are silence, nothing
   * queued is consumed). A {@link MediaEvent.DtmfSent} answers each digit: sent, or not sent with
   * its failure; a failure ends the sequence, and the digits after it are answered not sent.
   *
   * @param durationMs per digit, 40..2000, 0 = 100
   * @param gapMs between digits, 40..2000, 0 = 70
   * @throws org.sipline.core.InvalidArgumentException naming {@code send_dtmf.digits}, {@code
   *     send_dtmf.duration_ms} or {@code send_dtmf.gap_ms}
   * @param digits the digits: 0-9, *, #, A-D
   */
  void sendDtmf(String digits, int durationMs, int gapMs);

  /**
   * The client is gone (cancelled, disconnected): queued bot audio is cleared, silence plays, and
   * the stream can be resumed with its token within the grace period; after that its marks resolve
   * DETACHED and the line's policy applies to the call.
   */
  void detach();

  /**
   * The client's rpc was ended because one of its requests was refused (MEDIA.md: "nothing already
   * queued is lost by a refused request"): like {@link #detach()}, except that the audio queued
   * before the refusal plays on to its end, its marks resolving PLAYED into the events kept for a
   * resume, and digits asked for still go out. Resumable with its token within the grace period;
   * past it, whatever is still queued is dropped (marks DETACHED) and the line's policy applies.
   */
  void detachKeepingQueue();

  /**
   * The client ended the stream normally (half-close): like {@link #detach()} without grace. Its
   * queued audio goes at the next frame (pending marks DETACHED, then a Cleared), then Statistics;
   * the events up to there can still be polled. Another Converse may attach at once.
   */
  void close();
}

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
  /** The next event, or null when none is ready now. */
  MediaEvent poll();

  /**
   * {@code wakeup} runs (on a media or line thread; it must not block) whenever an event becomes
   * available after {@link #poll()} returned null. Set once, before the first poll.
   */
  void onAvailable(Runnable wakeup);

  /** True once the stream's last event has been polled. */
  boolean isFinished();

  /** The token that resumes this stream within the grace period after {@link #detach()}. */
  String resumeToken();

  // ---- Converse only: a Listen stream refuses these with IllegalStateException ----

  /**
   * Queues a chunk of the bot's speech in the stream's outbound format. Refusals that are the
   * client's fault in itself throw {@link org.sipline.core.InvalidArgumentException} naming the
   * field ({@code audio.data} over 64 KiB, empty {@code audio.utterance_id}); a chunk the queue
   * cannot take (over the cap, a cleared utterance, one already ended) is answered with an {@link
   * MediaEvent.AudioRejected} event. Nothing queued before is lost either way.
   */
  void audio(String utteranceId, byte[] data, boolean endOfUtterance);

  /** Marks the end of the audio written so far; the id must be new on this stream. */
  void mark(String id);

  /** Drops everything queued through {@code throughUtterance} ("" = all) at the next frame. */
  void clear(String throughUtterance);

  void pause();

  void resume();

  /**
   * Sends {@code digits} one after another; bot audio waits meanwhile. A {@link
   * MediaEvent.DtmfSent} follows each digit.
   */
  void sendDtmf(String digits, int durationMs, int gapMs);

  /**
   * The client is gone (cancelled, disconnected): queued bot audio is cleared, silence plays, and
   * the stream can be resumed with its token within the grace period; after that its marks resolve
   * DETACHED and the line's policy applies to the call.
   */
  void detach();

  /** The client ended the stream normally (half-close): like {@link #detach()} without grace. */
  void close();
}

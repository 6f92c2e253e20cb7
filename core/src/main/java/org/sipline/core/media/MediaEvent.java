package org.sipline.core.media;

import java.util.List;
import org.sipline.core.spi.DtmfMethod;

/**
 * What a {@link MediaStream} hands its client, in order. Every event but {@link AudioIn} is a
 * control event: numbered from 1 per stream ({@link #sequence()}, continued by a resumed stream),
 * never dropped. Positions are samples at the call's timeline rate since the call connected.
 */
public sealed interface MediaEvent {
  /**
   * The control event's number on its stream; 0 for {@link AudioIn}.
   *
   * @return the sequence number
   */
  long sequence();

  /**
   * The stream is attached to a call; the first event (a stream opened with NEXT gets {@link
   * CallState} WAITING before it). A resumed stream's Opened carries a new number and comes first
   * too; the control events that follow it with lower numbers are those the cut-off stream had not
   * handed out, or had handed out in its last two seconds (a client skips the numbers it has seen).
   */
  record Opened(
      long sequence,
      String callId,
      String remote,
      boolean incoming,
      String codec,
      int timelineRate,
      AudioFormat inbound,
      AudioFormat outbound,
      int inboundFrameMs,
      int maxInboundLagMs,
      int maxQueuedMs,
      String resumeToken,
      int resumeGraceMs,
      boolean resumed,
      long position)
      implements MediaEvent {}

  /**
   * Caller audio.
   *
   * @param position timeline position of the first sample
   * @param data the audio in the stream's inbound format
   * @param concealedSamples samples (timeline rate) in it that were lost or late and are silence
   * @param droppedSamples samples dropped right before it because the client was too slow
   * @param replayed re-sent to a resumed stream
   */
  // Events are delivered, never compared or hashed: equality by array identity does not matter.
  @SuppressWarnings("ArrayRecordComponent")
  record AudioIn(
      long position, byte[] data, int concealedSamples, long droppedSamples, boolean replayed)
      implements MediaEvent {
    @Override
    public long sequence() {
      return 0;
    }
  }

  /**
   * A mark resolved (exactly once). PLAYED comes right after the frame holding the mark's position
   * was handed to the socket; marks dropped by a clear come right before its {@link Cleared}.
   */
  record MarkResolved(long sequence, String id, MarkOutcome outcome, long position)
      implements MediaEvent {}

  /**
   * What a clear (Clear, Interrupt, or the writer going away) dropped, once the frame it took
   * effect in was sent. {@code playedSamples} counts the interrupted utterance's samples handed to
   * the socket, its fade included. Interrupt's answer carries sequence 0: it belongs to no stream
   * (the writer's stream gets its own, numbered, copy).
   *
   * @param sequence the event's number on its stream; 0 for Interrupt's answer
   * @param throughUtterance the last utterance the clear asked to drop, or "" for all
   * @param interruptedUtterance the utterance cut while it played, or "" when none played
   * @param playedSamples samples of the interrupted utterance handed to the socket
   * @param position where in the call's outbound timeline the clear took effect, in samples
   * @param clearedUtterances every utterance dropped, in queue order
   * @param droppedSamples queued samples that will never play
   */
  record Cleared(
      long sequence,
      String throughUtterance,
      String interruptedUtterance,
      long playedSamples,
      long position,
      List<String> clearedUtterances,
      long droppedSamples)
      implements MediaEvent {
    /**
     * Keeps its own copy of the cleared utterances.
     *
     * @param sequence the event's number on its stream; 0 for Interrupt's answer
     * @param throughUtterance the last utterance the clear asked to drop, or "" for all
     * @param interruptedUtterance the utterance cut while it played, or "" when none played
     * @param playedSamples samples of the interrupted utterance handed to the socket
     * @param position where in the call's outbound timeline the clear took effect, in samples
     * @param clearedUtterances every utterance dropped, in queue order
     * @param droppedSamples queued samples that will never play
     */
    public Cleared {
      clearedUtterances = List.copyOf(clearedUtterances);
    }
  }

  /** Where playback stands: periodic while audio plays, and at each utterance's end. */
  record Playout(
      long sequence,
      long position,
      String utteranceId,
      long utterancePlayedSamples,
      boolean utteranceEnded,
      int queuedMs,
      boolean paused)
      implements MediaEvent {}

  /** A received DTMF digit's start or end. */
  record Dtmf(
      long sequence, char digit, boolean end, long position, int durationMs, DtmfMethod source)
      implements MediaEvent {}

  /**
   * A digit the stream asked to send, answered once: sent ({@code failure} empty; {@code position}:
   * where the timeline stood when it started), or not. A digit that could not be sent says why in
   * {@code failure} ({@code sipCode}: the response that refused its INFO, or 0), and the digits
   * after it are not sent either, each answered with a failure of its own.
   *
   * @param method how it went out; null when it did not
   */
  record DtmfSent(
      long sequence,
      char digit,
      int durationMs,
      DtmfMethod method,
      long position,
      String failure,
      int sipCode)
      implements MediaEvent {
    /**
     * A digit that went out.
     *
     * @param sequence the event's number
     * @param digit the digit
     * @param durationMs how long it was sent for
     * @param method how it went out
     * @param position where in the call's outbound timeline it started, in samples
     */
    public DtmfSent(long sequence, char digit, int durationMs, DtmfMethod method, long position) {
      this(sequence, digit, durationMs, method, position, "", 0);
    }

    /**
     * Whether the digit went out.
     *
     * @return true when it was sent, false when {@code failure} says why not
     */
    public boolean sent() {
      return failure.isEmpty();
    }
  }

  /** Flow control of bot audio: over 80 % of the queue cap xoff, under 50 % xon. */
  record Flow(long sequence, boolean xoff, int queuedMs) implements MediaEvent {}

  /** A chunk that was not queued; nothing else changed. */
  record AudioRejected(long sequence, String utteranceId, int bytes, String reason, int queuedMs)
      implements MediaEvent {}

  /**
   * The call's state: waiting (a NEXT stream accepted before its call: the first event), connected
   * (after Opened when the call was already up) or ended.
   *
   * @param sipCode the SIP response code that ended the call, or 0 (a BYE, a local hangup)
   */
  record CallState(long sequence, State state, int sipCode, String reason, long position)
      implements MediaEvent {
    /** Where the call is, as a stream sees it. */
    public enum State {
      /** No call yet: a stream opened with NEXT waits for the next call to connect. */
      WAITING,
      /** The call is up: audio flows both ways. */
      CONNECTED,
      /** The call ended; no more audio will come or go. */
      ENDED,
      /** The far end holds the call: nothing we play reaches it meanwhile (RFC 3264 §8.4). */
      HELD,
      /** The far end took the call back off hold. */
      RESUMED
    }

    /**
     * Whether this is the call's end; the stream's last events follow it.
     *
     * @return true for {@link State#ENDED}
     */
    public boolean ended() {
      return state == State.ENDED;
    }
  }

  /** The stream's counters; the last event of a stream. */
  record Statistics(long sequence, StreamCounters counters) implements MediaEvent {}
}

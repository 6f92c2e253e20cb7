package org.sipline.core.media;

import java.util.ArrayList;
import java.util.List;

/**
 * One clear of the {@link PlaybackQueue}: asked for on a client's thread, applied by the pacer at
 * the next frame (a short fade, then the queue's prefix through {@link #through} is gone), and
 * settled when that frame was sent. What it did is then known exactly: the utterance it
 * interrupted, how many of its samples were played, which utterances it dropped.
 */
final class ClearRequest extends Fact {
  /** The last utterance to drop (the queue's tail when "everything" was asked), or null. */
  final Utterance through;

  /** What the client named: an utterance id, or "" for everything. */
  final String throughId;

  /** The stream that asked (its Cleared goes there), or null for an Interrupt or the line. */
  final Object owner;

  /** How the dropped utterances' pending marks resolve: CLEARED, or DETACHED (writer gone). */
  final MarkOutcome markOutcome;

  final long requestedNanos;

  /** Runs on the queue's completion executor once applied, or null. */
  final Runnable onApplied;

  /** The next clear asked for after this one, while both wait for a frame. */
  ClearRequest nextPending;

  /** The next clear applied in the same turn whose {@link #onApplied} is still to run. */
  ClearRequest nextNotify;

  // The outcome, set once applied (guarded by the queue's lock until then).
  private boolean applied;
  private String interruptedId = "";
  private long interruptedPlayed;
  private long position;
  private long droppedSamples;
  private long latencyNanos;
  private Utterance firstDropped;
  private Utterance lastDropped;

  ClearRequest(
      Utterance through,
      String throughId,
      Object owner,
      MarkOutcome markOutcome,
      long requestedNanos,
      Runnable onApplied) {
    this.through = through;
    this.throughId = throughId;
    this.owner = owner;
    this.markOutcome = markOutcome;
    this.requestedNanos = requestedNanos;
    this.onApplied = onApplied;
  }

  /** Records an utterance it dropped, with its unplayed samples. */
  void dropped(Utterance u, long unplayed) {
    if (firstDropped == null) {
      firstDropped = u;
    } else {
      lastDropped.nextDropped = u;
    }
    lastDropped = u;
    droppedSamples += unplayed;
  }

  /**
   * The one transition: pending → applied, with what it interrupted (or null) and where the cleared
   * audio stopped.
   */
  void apply(Utterance interrupted, long stoppedAt, long appliedNanos) {
    if (applied) {
      throw new IllegalStateException("clear through '" + throughId + "' applied twice");
    }
    applied = true;
    if (interrupted != null) {
      interruptedId = interrupted.id;
      interruptedPlayed = interrupted.played();
    }
    position = stoppedAt;
    latencyNanos = Math.max(0, appliedNanos - requestedNanos);
  }

  boolean isApplied() {
    return applied;
  }

  String interruptedId() {
    return interruptedId;
  }

  long interruptedPlayed() {
    return interruptedPlayed;
  }

  long position() {
    return position;
  }

  long droppedSamples() {
    return droppedSamples;
  }

  long latencyNanos() {
    return latencyNanos;
  }

  /** The ids of the utterances dropped, in queue order; made on the draining thread. */
  List<String> droppedIds() {
    List<String> ids = new ArrayList<>();
    for (Utterance u = firstDropped; u != null; u = u.nextDropped) {
      ids.add(u.id);
    }
    return ids;
  }

  /** The event this clear answers with, numbered {@code sequence}. */
  MediaEvent.Cleared toEvent(long sequence) {
    return new MediaEvent.Cleared(
        sequence,
        throughId,
        interruptedId,
        interruptedPlayed,
        position,
        droppedIds(),
        droppedSamples);
  }

  @Override
  public String toString() {
    return "ClearRequest[through '"
        + throughId
        + "', "
        + (applied ? "applied at " + position : "pending")
        + "]";
  }
}

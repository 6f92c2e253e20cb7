package org.sipline.core.media;

/**
 * A mark in the {@link PlaybackQueue}: the end of the audio written before it, held as an offset in
 * the utterance that was last when it was set. It resolves exactly once ({@link #resolve}).
 */
final class Mark extends Fact {
  final String id;

  /** The stream that set it (its events go there); null for marks the line sets itself. */
  final Object owner;

  /** The utterance it follows, or null when nothing was queued (it resolves at once). */
  final Utterance utterance;

  /** Samples of {@link #utterance} written before the mark. */
  final long offset;

  /** The next pending mark of the same utterance. */
  Mark next;

  private MarkOutcome outcome;
  private long position;

  Mark(String id, Object owner, Utterance utterance, long offset) {
    this.id = id;
    this.owner = owner;
    this.utterance = utterance;
    this.offset = offset;
  }

  /** The one transition: pending → resolved. A second resolution is a bug in the queue. */
  void resolve(MarkOutcome how, long at) {
    if (outcome != null) {
      throw new IllegalStateException("mark " + id + " resolved twice: " + outcome + ", " + how);
    }
    outcome = how;
    position = at;
  }

  /** Null while pending. */
  MarkOutcome outcome() {
    return outcome;
  }

  /** PLAYED: the timeline position the mark stands for; otherwise where the timeline stood. */
  long position() {
    return position;
  }

  @Override
  public String toString() {
    return "Mark["
        + id
        + (outcome == null ? ", pending" : ", " + outcome + " at " + position)
        + "]";
  }
}

package org.sipline.core.media;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * One utterance in the {@link PlaybackQueue}: the bot's speech between its first chunk and {@code
 * end_of_utterance}, or the files of one SipPlayWavFiles request. Its samples (8 kHz) are kept as
 * the chunks came; two cursors say how far it got: the committed one (samples handed to the socket)
 * and the tentative one of the frame in flight, which {@link PlaybackQueue#sent} commits or rolls
 * back. Every field is guarded by the queue's lock.
 */
final class Utterance extends Fact {
  /** Where an utterance stands. Changed only through {@link #moveTo}. */
  enum State {
    QUEUED,
    /** Its last sample was played. */
    PLAYED,
    /** A clear, a cancel or the call's end took it out before its end. */
    DROPPED;

    State to(State next) {
      if (this != QUEUED || next == QUEUED) {
        throw new IllegalStateException("utterance state " + this + " -> " + next);
      }
      return next;
    }
  }

  private static final int FADE_SHIFT = 5;

  /** Samples a clear fades the interrupted utterance over: 4 ms, short enough to be "at once". */
  static final int FADE = 1 << FADE_SHIFT;

  final String id;

  /** The stream that wrote it, or null for a prompt. */
  final Object owner;

  /** The SipPlayWavFiles request it is, or null. */
  Playback prompt;

  private final ArrayList<short[]> chunks = new ArrayList<>();
  private long written;
  private boolean ended;
  private State state = State.QUEUED;

  // The committed cursor: what has been handed to the socket.
  private int chunk;
  private int offset;
  private long played;

  /** Timeline position right after its last played sample; -1 before the first. */
  private long endPosition = -1;

  // The frame in flight: the tentative cursor and where its run in that frame began.
  private int nextChunk;
  private int nextOffset;
  private long nextPlayed;
  private long runStartPosition;
  private long runStartPlayed;
  boolean touched;
  Utterance nextTouched;

  /** The clear of the frame in flight that drops it, or null. */
  ClearRequest dropping;

  /** Queue links. */
  Utterance prev;

  Utterance next;

  /** The next utterance dropped by the same clear. */
  Utterance nextDropped;

  /** Its pending marks, in order. */
  Mark firstMark;

  Mark lastMark;

  Utterance(String id, Object owner) {
    this.id = id;
    this.owner = owner;
  }

  State state() {
    return state;
  }

  void moveTo(State next) {
    state = state.to(next);
  }

  boolean isQueued() {
    return state == State.QUEUED;
  }

  void append(short[] samples) {
    if (samples.length > 0) {
      chunks.add(samples);
      written += samples.length;
    }
  }

  void end() {
    ended = true;
  }

  boolean isEnded() {
    return ended;
  }

  long written() {
    return written;
  }

  /** Samples handed to the socket. */
  long played() {
    return played;
  }

  /** Samples played counting the frame in flight. */
  long tentativePlayed() {
    return touched ? nextPlayed : played;
  }

  long endPosition() {
    return endPosition;
  }

  /** Samples written and not yet played (committed). */
  long unplayed() {
    return written - played;
  }

  /** Joins the frame in flight, whose sample {@code at} sits at timeline {@code position}. */
  void begin(long position) {
    touched = true;
    nextChunk = chunk;
    nextOffset = offset;
    nextPlayed = played;
    runStartPosition = position;
    runStartPlayed = played;
  }

  /** True when the frame in flight took every sample written so far. */
  boolean drained() {
    return nextPlayed == written;
  }

  /**
   * Moves up to {@code max} samples into {@code frame} from {@code at} on (zeros when {@code
   * silent}); returns how many. Only after {@link #begin}.
   */
  int take(short[] frame, int at, int max, boolean silent) {
    int taken = 0;
    while (taken < max && nextChunk < chunks.size()) {
      short[] current = chunks.get(nextChunk);
      int n = Math.min(max - taken, current.length - nextOffset);
      if (silent) {
        Arrays.fill(frame, at + taken, at + taken + n, (short) 0);
      } else {
        System.arraycopy(current, nextOffset, frame, at + taken, n);
      }
      nextOffset += n;
      taken += n;
      if (nextOffset == current.length) {
        nextChunk++;
        nextOffset = 0;
      }
    }
    nextPlayed += taken;
    return taken;
  }

  /** As {@link #take} from the start of the frame, ramped down to silence over {@link #FADE}. */
  int fade(short[] frame) {
    int n = take(frame, 0, FADE, false);
    for (int i = 0; i < n; i++) {
      frame[i] = (short) ((frame[i] * (FADE - i)) >> FADE_SHIFT);
    }
    return n;
  }

  /**
   * Makes the frame in flight's progress the committed one; returns the samples it played. Chunks
   * fully played are let go. {@code audioBefore} is where the queue's audio before it ended: an
   * utterance that has played nothing (an empty one) stands there.
   */
  long commit(long audioBefore) {
    long delta = nextPlayed - played;
    for (int i = chunk; i < nextChunk; i++) {
      chunks.set(i, null);
    }
    chunk = nextChunk;
    offset = nextOffset;
    played = nextPlayed;
    if (delta > 0) {
      endPosition = runStartPosition + (played - runStartPlayed);
    } else if (endPosition < 0) {
      endPosition = audioBefore;
    }
    touched = false;
    return delta;
  }

  /** Forgets the frame in flight's progress. */
  void rollback() {
    touched = false;
  }

  /**
   * The timeline position of a mark set after {@code markOffset} samples, once the committed cursor
   * has passed it: inside the last committed run when it lies there; a mark before any of its
   * samples stands where the audio before it ended ({@code audioBefore}).
   */
  long positionOf(long markOffset, long audioBefore) {
    if (markOffset > runStartPlayed && markOffset <= played) {
      return runStartPosition + (markOffset - runStartPlayed);
    }
    return markOffset == 0 ? audioBefore : endPosition;
  }

  /** Drops its samples from memory once it left the queue. */
  void release() {
    chunks.clear();
    chunks.trimToSize();
  }

  @Override
  public String toString() {
    return "Utterance["
        + id
        + ", "
        + played
        + "/"
        + written
        + (ended ? " ended" : " open")
        + ", "
        + state
        + "]";
  }
}

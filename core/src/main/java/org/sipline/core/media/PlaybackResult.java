package org.sipline.core.media;

import java.util.Objects;
import org.sipline.core.spi.AudioFrames;

/**
 * How one playback request ended.
 *
 * @param playedSamples samples of the request handed to the socket (muted ones included: playback
 *     time runs on while muted), at 8 kHz
 * @param totalSamples all samples of the request
 * @param outcome why it ended
 */
public record PlaybackResult(long playedSamples, long totalSamples, Outcome outcome) {
  /** Why a request ended. */
  public enum Outcome {
    /** Every sample was played. */
    PLAYED,
    /** Its requester cancelled it (barge-in); the unplayed rest was dropped. */
    CANCELLED,
    /** The call ended. */
    INTERRUPTED,
    /** A live-media clear (Clear, Interrupt, a writer gone) dropped it before its end. */
    CLEARED
  }

  public PlaybackResult {
    Objects.requireNonNull(outcome, "outcome");
    if (playedSamples < 0 || playedSamples > totalSamples) {
      throw new IllegalArgumentException(
          "playedSamples " + playedSamples + " outside 0.." + totalSamples);
    }
  }

  public long playedMillis() {
    return playedSamples * 1000 / AudioFrames.SAMPLE_RATE;
  }

  public long totalMillis() {
    return totalSamples * 1000 / AudioFrames.SAMPLE_RATE;
  }
}

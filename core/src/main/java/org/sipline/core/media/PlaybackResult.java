package org.sipline.core.media;

import java.util.Objects;
import org.sipline.core.spi.AudioFrames;

/**
 * How one playback request ended.
 *
 * @param playedSamples samples of the request handed to the socket (muted ones included: playback
 *     time runs on while muted), at the call's rate
 * @param totalSamples all samples of the request
 * @param outcome why it ended
 * @param sampleRate the call's audio rate the samples are counted at (8000 for G.711)
 */
public record PlaybackResult(
    long playedSamples, long totalSamples, Outcome outcome, int sampleRate) {
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

  /**
   * Checks that an outcome is given and the counts are not negative.
   *
   * @param playedSamples samples of the request handed to the socket (muted ones included: playback
   *     time runs on while muted), at the call's rate
   * @param totalSamples all samples of the request
   * @param outcome why it ended
   * @param sampleRate the call's audio rate the samples are counted at
   */
  public PlaybackResult {
    Objects.requireNonNull(outcome, "outcome");
    AudioFrames.checkRate(sampleRate);
    if (playedSamples < 0 || playedSamples > totalSamples) {
      throw new IllegalArgumentException(
          "playedSamples " + playedSamples + " outside 0.." + totalSamples);
    }
  }

  /**
   * A result counted at 8 kHz (a G.711 call).
   *
   * @param playedSamples samples of the request handed to the socket, at 8 kHz
   * @param totalSamples all samples of the request
   * @param outcome why it ended
   */
  public PlaybackResult(long playedSamples, long totalSamples, Outcome outcome) {
    this(playedSamples, totalSamples, outcome, AudioFrames.SAMPLE_RATE);
  }

  /**
   * How much of the request was played.
   *
   * @return {@code playedSamples} in whole milliseconds
   */
  public long playedMillis() {
    return playedSamples * 1000 / sampleRate;
  }

  /**
   * How long the whole request is.
   *
   * @return {@code totalSamples} in whole milliseconds
   */
  public long totalMillis() {
    return totalSamples * 1000 / sampleRate;
  }
}

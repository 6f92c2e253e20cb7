package org.sipline.core.spi;

/**
 * SRTP and SRTCP packets from the far end that a call refused (RFC 3711 §3.3): each is dropped
 * before anything reads it, and counted here so a call's record says whether its media was under
 * attack, damaged, or keyed differently at the two ends. All zero for plain RTP.
 *
 * @param authFailures packets whose authentication tag did not match: forged, damaged, or keys that
 *     differ
 * @param replays packets whose index was authenticated before (§3.3.2)
 * @param outOfWindow packets too far behind the highest index to tell whether they are replays
 */
public record SrtpRefusals(long authFailures, long replays, long outOfWindow) {
  /** Nothing refused: plain RTP, or SRTP with no bad packet. */
  public static final SrtpRefusals NONE = new SrtpRefusals(0, 0, 0);

  /**
   * Checks the counts.
   *
   * @param authFailures packets whose authentication tag did not match
   * @param replays packets whose index was authenticated before
   * @param outOfWindow packets too far behind the highest index
   * @throws IllegalArgumentException when a count is negative
   */
  public SrtpRefusals {
    if (authFailures < 0 || replays < 0 || outOfWindow < 0) {
      throw new IllegalArgumentException(
          "negative SRTP counter: " + authFailures + "/" + replays + "/" + outOfWindow);
    }
  }

  /**
   * All refused packets.
   *
   * @return the sum of the three counts
   */
  public long total() {
    return authFailures + replays + outOfWindow;
  }
}

package org.sipline.backend.jainsip.media.srtp;

/**
 * RFC 3711 §3.3.2's replay list for one SSRC: the highest authenticated index and a 64-packet
 * bitmap behind it. {@link #check} before authenticating, {@link #accept} only after, so a forged
 * packet moves nothing.
 */
final class ReplayWindow {
  static final int SIZE = 64;

  /** {@link #check}'s answers. */
  static final int FRESH = 0;

  static final int REPLAYED = 1;
  static final int TOO_OLD = 2;

  private boolean started;
  private long highest;
  private long seen;

  /** The highest authenticated index; meaningless before the first {@link #accept}. */
  long highest() {
    return highest;
  }

  int check(long index) {
    if (!started || index > highest) {
      return FRESH;
    }
    long behind = highest - index;
    if (behind >= SIZE) {
      return TOO_OLD;
    }
    return ((seen >>> behind) & 1) != 0 ? REPLAYED : FRESH;
  }

  void accept(long index) {
    if (!started) {
      started = true;
      highest = index;
      seen = 1;
    } else if (index > highest) {
      long ahead = index - highest;
      seen = ahead >= SIZE ? 1 : (seen << ahead) | 1;
      highest = index;
    } else {
      seen |= 1L << (highest - index);
    }
  }
}

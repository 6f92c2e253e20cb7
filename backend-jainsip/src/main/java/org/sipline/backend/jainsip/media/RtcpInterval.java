package org.sipline.backend.jainsip.media;

import java.util.random.RandomGenerator;

/**
 * The time to the next RTCP report, by RFC 3550 A.7 ({@code rtcp_interval}) for a session of two:
 * the deterministic interval from the RTCP bandwidth share and the average compound size, at least
 * {@value #MIN_SECONDS} s (half that before the first report, §6.2), randomised over 0.5..1.5 of
 * itself and divided by e − 3/2 to compensate for the timer reconsideration that a unicast session
 * of two never needs (§6.3.1).
 */
final class RtcpInterval {
  /** §6.2: the recommended minimum interval. */
  static final double MIN_SECONDS = 5.0;

  /** A.7: e − 3/2, the compensation for the randomisation's bias towards short intervals. */
  static final double COMPENSATION = Math.E - 1.5;

  /** §6.2: senders share a quarter of the RTCP bandwidth while they are at most a quarter. */
  private static final double SENDER_SHARE = 0.25;

  private RtcpInterval() {}

  /**
   * Seconds to the next report.
   *
   * @param members participants, ourselves included (2 in a call)
   * @param senders those who sent RTP since the last two reports
   * @param rtcpBytesPerSecond the RTCP share of the session bandwidth (§6.2: 5 %)
   * @param weSent whether we sent RTP since our last two reports
   * @param averageRtcpSize the running average size of compound packets, in bytes, with the UDP and
   *     IP headers
   * @param initial true before our first report
   */
  static double seconds(
      int members,
      int senders,
      double rtcpBytesPerSecond,
      boolean weSent,
      double averageRtcpSize,
      boolean initial,
      RandomGenerator random) {
    double tMin = initial ? MIN_SECONDS / 2 : MIN_SECONDS;
    int n = members;
    double bw = rtcpBytesPerSecond;
    // Senders get a quarter of the bandwidth when they are at most a quarter of the members.
    if (senders > 0 && senders <= members * SENDER_SHARE) {
      if (weSent) {
        bw *= SENDER_SHARE;
        n = senders;
      } else {
        bw *= 1 - SENDER_SHARE;
        n -= senders;
      }
    }
    double t = averageRtcpSize * n / bw;
    if (t < tMin) {
      t = tMin;
    }
    t *= 0.5 + random.nextDouble();
    return t / COMPENSATION;
  }
}

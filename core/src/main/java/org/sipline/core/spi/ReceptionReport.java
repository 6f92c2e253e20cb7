package org.sipline.core.spi;

/**
 * How one RTP stream arrived, as its receiver saw it: the figures of an RFC 3550 §6.4.1 report
 * block. Our own view of the stream we receive is measured on every packet; the far end's view of
 * the stream we send comes from the report blocks of its SR/RR packets.
 *
 * @param reported false when there is nothing to report: no packet received yet, or (for the far
 *     end's view) no RTCP report block about our stream has come
 * @param expected packets expected: the extended highest sequence number received minus the first
 *     one, plus one (RFC 3550 A.3)
 * @param cumulativeLost expected minus received since the start; negative when duplicates came (RFC
 *     3550 §6.4.1 allows it)
 * @param fractionLost the share lost in the last report interval, 0..1 (the 8-bit fraction / 256)
 * @param jitterMillis the interarrival jitter estimate of RFC 3550 A.8, in milliseconds
 */
public record ReceptionReport(
    boolean reported,
    long expected,
    long cumulativeLost,
    double fractionLost,
    double jitterMillis) {

  /** Nothing known. */
  public static final ReceptionReport NONE = new ReceptionReport(false, 0, 0, 0, 0);

  /**
   * Checks the figures: expected not negative, a fraction within 0..1, jitter not negative.
   *
   * @param reported false when there is nothing to report: no packet received yet, or (for the far
   *     end's view) no RTCP report block about our stream has come
   * @param expected packets expected: the extended highest sequence number received minus the first
   *     one, plus one (RFC 3550 A.3)
   * @param cumulativeLost expected minus received since the start; negative when duplicates came
   *     (RFC 3550 §6.4.1 allows it)
   * @param fractionLost the share lost in the last report interval, 0..1 (the 8-bit fraction / 256)
   * @param jitterMillis the interarrival jitter estimate of RFC 3550 A.8, in milliseconds
   */
  public ReceptionReport {
    if (expected < 0) {
      throw new IllegalArgumentException("expected < 0: " + expected);
    }
    if (!(fractionLost >= 0 && fractionLost <= 1)) {
      throw new IllegalArgumentException("fractionLost outside 0..1: " + fractionLost);
    }
    if (!(jitterMillis >= 0)) {
      throw new IllegalArgumentException("jitterMillis < 0: " + jitterMillis);
    }
  }

  /**
   * The share of the expected packets lost over the whole stream, 0..1: what a quality estimate of
   * the call as a whole uses (the fraction is only the last interval's).
   *
   * @return the loss ratio, 0 when nothing was expected
   */
  public double lossRatio() {
    if (expected == 0 || cumulativeLost <= 0) {
      return 0;
    }
    return Math.min(1.0, (double) cumulativeLost / expected);
  }
}

package org.sipline.backend.pjsip;

import java.util.List;
import org.sipline.core.spi.ReceptionReport;
import org.sipline.core.spi.RtpStatistics;

/**
 * The shim's RTP figures (slpj.h's {@code enum slpj_stat_field}, from pjmedia's stream statistics)
 * as the SPI's {@link RtpStatistics}. pjmedia keeps less than jainsip's own RTCP: no per-interval
 * fraction lost (the share over the whole call stands in for it), no count of RTCP packets sent or
 * dropped (0), nothing of the far end's sender reports (-1), and of the far end's report blocks
 * only the loss and jitter, not the highest sequence number it saw (the packets we sent stand in
 * for what it expected).
 */
final class RtpFigures {
  static final int TX_PACKETS = 0;
  static final int TX_OCTETS = 1;
  static final int RX_PACKETS = 2;
  static final int RX_OCTETS = 3;
  static final int RX_LOST = 4;
  static final int RX_DUP = 5;
  static final int RX_JITTER_US = 6;
  static final int FAR_REPORTS = 7;
  static final int TX_LOST = 8;
  static final int TX_JITTER_US = 9;
  static final int RTT_US = 10;
  static final int STREAMS = 11;

  /** SLPJ_STAT_FIELDS. */
  static final int FIELDS = 12;

  private RtpFigures() {}

  /** The figures the shim filled in {@code v} ({@link #FIELDS} of them). */
  static RtpStatistics of(long[] v) {
    if (v.length < FIELDS) {
      throw new IllegalArgumentException("RTP figures: " + v.length + " of " + FIELDS + " fields");
    }
    if (v[STREAMS] <= 0) {
      return RtpStatistics.NONE;
    }
    for (int i = 0; i < FIELDS; i++) {
      if (v[i] < -1) {
        throw new IllegalArgumentException("RTP figure " + i + " is " + v[i]);
      }
    }
    // pjmedia counts a lost packet that arrives late as received and lost both: bound it.
    long received = v[RX_PACKETS];
    long lost = Math.max(0, v[RX_LOST] - v[RX_DUP]);
    long expected = received + lost;
    ReceptionReport inbound =
        received == 0
            ? ReceptionReport.NONE
            : new ReceptionReport(
                true,
                expected,
                lost,
                expected == 0 ? 0 : (double) lost / expected,
                microsToMillis(v[RX_JITTER_US]));
    ReceptionReport outbound = ReceptionReport.NONE;
    if (v[FAR_REPORTS] > 0) {
      long farExpected = Math.max(v[TX_PACKETS], v[TX_LOST]);
      outbound =
          new ReceptionReport(
              true,
              farExpected,
              v[TX_LOST],
              farExpected == 0 ? 0 : Math.min(1.0, (double) v[TX_LOST] / farExpected),
              microsToMillis(v[TX_JITTER_US]));
    }
    return new RtpStatistics(
        v[TX_PACKETS],
        v[TX_OCTETS],
        received,
        v[RX_OCTETS],
        inbound,
        outbound,
        -1,
        -1,
        v[RTT_US] < 0 ? -1 : v[RTT_US] / 1000.0,
        0,
        v[FAR_REPORTS],
        0);
  }

  /**
   * The figures a terminal event carries as text fields {@code from}.. (decimals), or {@link
   * RtpStatistics#NONE} when the shim sent none (e.g. its text did not fit).
   */
  static RtpStatistics ofFields(List<String> fields, int from) {
    if (fields.size() < from + FIELDS) {
      return RtpStatistics.NONE;
    }
    long[] v = new long[FIELDS];
    for (int i = 0; i < FIELDS; i++) {
      try {
        v[i] = Long.parseLong(fields.get(from + i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "RTP figure " + i + " not a number: '" + fields.get(from + i) + "'", e);
      }
    }
    return of(v);
  }

  private static double microsToMillis(long micros) {
    return micros < 0 ? 0 : micros / 1000.0;
  }
}

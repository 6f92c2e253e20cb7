package org.sipline.backend.jainsip.media;

import org.sipline.core.spi.ReceptionReport;

/**
 * What a receiver of one RTP stream must know for its reception reports (RFC 3550 §6.4.1): the
 * extended highest sequence number, packets expected and received, cumulative and fractional loss
 * (A.1, A.3) and the interarrival jitter (A.8), measured on every packet as it arrives, before any
 * reordering.
 *
 * <p>The stream restarts (counters anew) when the SSRC changes, or when two packets in a row jump
 * by more than {@value #MAX_DROPOUT} sequence numbers (A.1: the far end restarted without telling).
 * Telephone events share the sequence numbers and count for loss, but not for jitter: their
 * timestamp stays at the digit's start while they are sent, which would read as jitter.
 *
 * <p>{@link #onPacket} runs on the receive thread and allocates nothing; the report methods run on
 * the RTCP thread or the application's. Guarded by this object's monitor, which the receive thread
 * almost always finds free (one report per five seconds).
 */
final class ReceptionStatistics {
  /** A.1: the largest forward jump still taken as the same stream. */
  static final int MAX_DROPOUT = 3000;

  /** A.1: the largest backward jump taken as reordering rather than a restart. */
  static final int MAX_MISORDER = 100;

  private static final int SEQ_MOD = 1 << 16;

  private final int clockRate;
  private boolean started;
  private long ssrc;
  private int maxSeq;
  private long cycles;
  private int baseSeq;
  private int badSeq = -1;
  private long received;
  private long octets;
  private long expectedPrior;
  private long receivedPrior;
  private int lastFraction;

  /** A.8: the jitter estimate in timestamp units, scaled by 16 as the RFC's integer form. */
  private long jitterScaled;

  private boolean haveTransit;
  private long transit;

  ReceptionStatistics(int clockRate) {
    this.clockRate = clockRate;
  }

  /**
   * One packet from the far end, accepted by source and payload type.
   *
   * @param arrivalNanos when it arrived, on the media clock
   * @param audio false for a telephone event: counted, but not taken for jitter
   */
  synchronized void onPacket(
      long packetSsrc,
      int seq,
      long rtpTimestamp,
      long arrivalNanos,
      int payloadLength,
      boolean audio) {
    if (!started || packetSsrc != ssrc) {
      restart(packetSsrc, seq);
    } else if (!updateSequence(seq)) {
      return;
    }
    received++;
    octets += payloadLength;
    if (audio) {
      // A.8: D(i−1, i) = (Rj − Ri) − (Sj − Si), arrival in timestamp units; J += (|D| − J) / 16.
      long arrival = (long) (arrivalNanos * (clockRate / 1e9));
      long t = arrival - rtpTimestamp;
      if (haveTransit) {
        long d = Math.abs(t - transit);
        // Timestamps wrap at 2^32 and arrival at nothing: a difference beyond half the range is a
        // wrap, not jitter.
        if (d < (1L << 31)) {
          jitterScaled += d - ((jitterScaled + 8) >> 4);
        }
      }
      transit = t;
      haveTransit = true;
    }
  }

  private void restart(long packetSsrc, int seq) {
    started = true;
    ssrc = packetSsrc;
    baseSeq = seq;
    maxSeq = seq;
    badSeq = -1;
    cycles = 0;
    received = 0;
    octets = 0;
    expectedPrior = 0;
    receivedPrior = 0;
    lastFraction = 0;
    jitterScaled = 0;
    haveTransit = false;
  }

  /** A.1's update_seq; false when the packet is taken as a stray and not counted. */
  private boolean updateSequence(int seq) {
    int delta = (seq - maxSeq) & (SEQ_MOD - 1);
    if (delta < MAX_DROPOUT) {
      if (seq < maxSeq) {
        cycles += SEQ_MOD;
      }
      maxSeq = seq;
    } else if (delta <= SEQ_MOD - MAX_MISORDER) {
      if (seq == badSeq) {
        // Two in a row after a big jump: the far end restarted its numbering.
        long keepSsrc = ssrc;
        restart(keepSsrc, seq);
      } else {
        badSeq = (seq + 1) & (SEQ_MOD - 1);
        return false;
      }
    }
    // Otherwise a duplicate or a reordered packet: counted as received.
    return true;
  }

  int clockRate() {
    return clockRate;
  }

  synchronized boolean started() {
    return started;
  }

  synchronized long ssrc() {
    return ssrc;
  }

  synchronized long received() {
    return received;
  }

  synchronized long octets() {
    return octets;
  }

  synchronized long extendedHighestSequence() {
    return cycles + maxSeq;
  }

  synchronized long expected() {
    return started ? cycles + maxSeq - baseSeq + 1 : 0;
  }

  /** A.3: expected − received, clamped to the 24-bit signed field of a report block. */
  synchronized int cumulativeLost() {
    long lost = expected() - received;
    return (int) Math.max(-0x80_0000, Math.min(0x7F_FFFF, lost));
  }

  /** The jitter in timestamp units, as a report block carries it. */
  synchronized long jitter() {
    return jitterScaled >> 4;
  }

  /**
   * A.3: the fraction lost since the previous call of this method, 0..255; each report block calls
   * it once, so the interval is the report interval.
   */
  synchronized int takeFractionLost() {
    long expected = expected();
    long expectedInterval = expected - expectedPrior;
    expectedPrior = expected;
    long receivedInterval = received - receivedPrior;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    lastFraction =
        expectedInterval == 0 || lostInterval <= 0
            ? 0
            : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    return lastFraction;
  }

  /** Our view of the stream so far, for {@link org.sipline.core.spi.RtpStatistics}. */
  synchronized ReceptionReport report() {
    if (!started) {
      return ReceptionReport.NONE;
    }
    return new ReceptionReport(
        true,
        expected(),
        expected() - received,
        lastFraction / 256.0,
        jitter() * 1000.0 / clockRate);
  }
}

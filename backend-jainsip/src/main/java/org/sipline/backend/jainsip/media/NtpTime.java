package org.sipline.backend.jainsip.media;

/**
 * NTP timestamps for RTCP (RFC 3550 §4): the wall clock read once, then advanced by the monotonic
 * media clock, so that the timestamps of one process never jump with the system clock and the
 * round-trip time computed from them (our SR's time against the arrival of the report about it) is
 * exact.
 */
final class NtpTime {
  /** Seconds from the NTP era (1900) to the Unix epoch (1970). */
  static final long UNIX_TO_NTP_SECONDS = 2_208_988_800L;

  private static final long NANOS = 1_000_000_000L;

  private final long ntpNanosAtBase;
  private final long monotonicBase;

  /**
   * @param wallMillis the Unix time in milliseconds at {@code monotonicNanos}
   */
  NtpTime(long wallMillis, long monotonicNanos) {
    this.ntpNanosAtBase = (wallMillis + UNIX_TO_NTP_SECONDS * 1000) * 1_000_000;
    this.monotonicBase = monotonicNanos;
  }

  /** Nanoseconds since the NTP era at a time of the media clock. */
  long ntpNanos(long monotonicNanos) {
    return ntpNanosAtBase + (monotonicNanos - monotonicBase);
  }

  /** The 32-bit seconds of the 64-bit NTP timestamp. */
  static long seconds(long ntpNanos) {
    return (ntpNanos / NANOS) & 0xFFFF_FFFFL;
  }

  /** The 32-bit fraction of the 64-bit NTP timestamp. */
  static long fraction(long ntpNanos) {
    return ((ntpNanos % NANOS) << 32) / NANOS;
  }

  /** The middle 32 bits of the 64-bit timestamp, as LSR and the RTT computation use them. */
  static long middle(long seconds, long fraction) {
    return ((seconds & 0xFFFF) << 16) | (fraction >>> 16);
  }

  static long middle(long ntpNanos) {
    return middle(seconds(ntpNanos), fraction(ntpNanos));
  }
}

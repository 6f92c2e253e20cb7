package org.sipline.benchmarks.harness;

/**
 * Reads one row of {@code tshark -T fields}: time_epoch, udp.srcport, udp.dstport, rtp.ssrc,
 * rtp.seq, rtp.timestamp, and optionally rtp.p_type and udp.length after them. A datagram tshark
 * could not dissect as RTP has empty RTP fields and is skipped (returns null); a row that is not in
 * this shape at all is an error.
 */
public final class TsharkFields {
  private TsharkFields() {}

  public static CapturedPacket parse(String[] f) {
    if (f.length != 6 && f.length != 8) {
      throw new IllegalArgumentException(
          "expected 6 or 8 fields, got " + f.length + ": " + String.join(" | ", f));
    }
    if (f[3].isEmpty() || f[4].isEmpty() || f[5].isEmpty()) {
      return null;
    }
    boolean full = f.length == 8 && !f[6].isEmpty() && !f[7].isEmpty();
    return new CapturedPacket(
        epochNanos(f[0]),
        Integer.parseInt(f[1]),
        Integer.parseInt(f[2]),
        Long.decode(f[3]),
        Integer.parseInt(f[4]),
        Long.parseLong(f[5]),
        full ? Integer.parseInt(f[6]) : -1,
        // tshark's udp.length counts the 8-byte UDP header too.
        full ? Integer.parseInt(f[7]) - 8 : -1);
  }

  /** "1795741083.621131327" → nanoseconds; fewer than 9 decimals are scaled up. */
  public static long epochNanos(String s) {
    int dot = s.indexOf('.');
    if (dot < 0) {
      return Math.multiplyExact(Long.parseLong(s), 1_000_000_000L);
    }
    String fraction = s.substring(dot + 1);
    if (fraction.isEmpty() || fraction.length() > 9) {
      throw new IllegalArgumentException("time_epoch fraction not 1..9 digits: '" + s + "'");
    }
    long nanos = Long.parseLong(fraction);
    for (int i = fraction.length(); i < 9; i++) {
      nanos *= 10;
    }
    return Math.addExact(
        Math.multiplyExact(Long.parseLong(s.substring(0, dot)), 1_000_000_000L), nanos);
  }
}

package org.sipline.backend.jainsip.media;

/**
 * Writes our RTCP compound packets (RFC 3550 §6.1): an SR when we sent RTP since the last report,
 * else an RR, with at most one report block (about the far end's stream); then an SDES with our
 * CNAME; at the end of the call a BYE after them. Into a caller's reusable buffer.
 */
final class RtcpWriter {
  /** What one report block says; filled by the caller, reused. */
  static final class Block {
    long source;
    int fractionLost;
    int cumulativeLost;
    long extendedHighestSequence;
    long jitter;
    long lastSr;
    long delaySinceLastSr;
  }

  private RtcpWriter() {}

  /**
   * Writes the compound packet at {@code out[0]}.
   *
   * @param block the one report block, or null for none
   * @param senderInfo true for an SR: {@code ntpNanos}, {@code rtpTimestamp}, {@code packets},
   *     {@code octets} are written; false for an RR, which ignores them
   * @param cname our CNAME, at most 255 bytes
   * @param bye whether to end with a BYE
   * @return the length written
   */
  static int write(
      byte[] out,
      long ssrc,
      boolean senderInfo,
      long ntpNanos,
      long rtpTimestamp,
      long packets,
      long octets,
      Block block,
      byte[] cname,
      boolean bye) {
    int rc = block == null ? 0 : 1;
    int pos = 0;
    int words = senderInfo ? 6 + 6 * rc : 1 + 6 * rc;
    pos = header(out, pos, rc, senderInfo ? RtcpParser.SR : RtcpParser.RR, words);
    pos = u32(out, pos, ssrc);
    if (senderInfo) {
      pos = u32(out, pos, NtpTime.seconds(ntpNanos));
      pos = u32(out, pos, NtpTime.fraction(ntpNanos));
      pos = u32(out, pos, rtpTimestamp);
      pos = u32(out, pos, packets);
      pos = u32(out, pos, octets);
    }
    if (block != null) {
      pos = u32(out, pos, block.source);
      pos = u32(out, pos, ((long) block.fractionLost << 24) | (block.cumulativeLost & 0xFF_FFFFL));
      pos = u32(out, pos, block.extendedHighestSequence);
      pos = u32(out, pos, block.jitter);
      pos = u32(out, pos, block.lastSr);
      pos = u32(out, pos, block.delaySinceLastSr);
    }
    // SDES: SSRC, CNAME item, the null item and padding to a 32-bit boundary.
    int items = 2 + cname.length + 1;
    int chunkWords = 1 + (items + 3) / 4;
    int sdesStart = pos;
    pos = header(out, pos, 1, RtcpParser.SDES, chunkWords);
    pos = u32(out, pos, ssrc);
    out[pos++] = (byte) RtcpParser.SDES_CNAME;
    out[pos++] = (byte) cname.length;
    System.arraycopy(cname, 0, out, pos, cname.length);
    pos += cname.length;
    int sdesEnd = sdesStart + 4 + 4 * chunkWords;
    while (pos < sdesEnd) {
      out[pos++] = 0;
    }
    if (bye) {
      pos = header(out, pos, 1, RtcpParser.BYE, 1);
      pos = u32(out, pos, ssrc);
    }
    return pos;
  }

  /** The largest packet {@link #write} makes for a CNAME of {@code cnameLength} bytes. */
  static int maxSize(int cnameLength) {
    return 4 + 24 + 24 + 4 + 4 + 4 * ((2 + cnameLength + 1 + 3) / 4) + 8;
  }

  private static int header(byte[] out, int pos, int count, int type, int lengthWords) {
    out[pos] = (byte) ((RtpPacket.VERSION << 6) | count);
    out[pos + 1] = (byte) type;
    out[pos + 2] = (byte) (lengthWords >>> 8);
    out[pos + 3] = (byte) lengthWords;
    return pos + 4;
  }

  private static int u32(byte[] out, int pos, long v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
    return pos + 4;
  }
}

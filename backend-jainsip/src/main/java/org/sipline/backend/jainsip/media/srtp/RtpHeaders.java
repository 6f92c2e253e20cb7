package org.sipline.backend.jainsip.media.srtp;

/** The few RTP and RTCP header fields SRTP needs, read without a parser object. */
final class RtpHeaders {
  static final int FIXED = 12;

  /** SRTCP leaves the first RTCP header and the sender's SSRC in the clear (§3.4). */
  static final int RTCP_CLEAR = 8;

  private RtpHeaders() {}

  /**
   * The RTP header's length, CSRCs and extension included; -1 when {@code length} bytes do not hold
   * a version 2 header.
   */
  static int rtpHeaderLength(byte[] packet, int length) {
    if (length < FIXED || (packet[0] & 0xC0) != 0x80) {
      return -1;
    }
    int header = FIXED + 4 * (packet[0] & 0x0F);
    if ((packet[0] & 0x10) != 0) {
      if (header + 4 > length) {
        return -1;
      }
      header += 4 + 4 * (((packet[header + 2] & 0xFF) << 8) | (packet[header + 3] & 0xFF));
    }
    return header <= length ? header : -1;
  }

  static int sequenceNumber(byte[] packet) {
    return ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
  }

  /** The RTP SSRC (bytes 8–11), or with {@code at} 4 the RTCP sender's SSRC. */
  static long word(byte[] packet, int at) {
    return ((packet[at] & 0xFFL) << 24)
        | ((packet[at + 1] & 0xFFL) << 16)
        | ((packet[at + 2] & 0xFFL) << 8)
        | (packet[at + 3] & 0xFFL);
  }

  static void putWord(byte[] packet, int at, long value) {
    packet[at] = (byte) (value >>> 24);
    packet[at + 1] = (byte) (value >>> 16);
    packet[at + 2] = (byte) (value >>> 8);
    packet[at + 3] = (byte) value;
  }

  /**
   * RFC 3711 Appendix A: the packet index a sequence number most likely stands for, given the
   * highest index {@code highest} seen so far (ROC and s_l in one 48-bit number); -1 when that is
   * before the stream's first roll (ROC would be −1).
   */
  static long estimateIndex(long highest, int sequence) {
    long roc = highest >>> 16;
    int last = (int) (highest & 0xFFFF);
    long v;
    if (last < 0x8000) {
      v = sequence - last > 0x8000 ? roc - 1 : roc;
    } else {
      v = last - 0x8000 > sequence ? roc + 1 : roc;
    }
    return v < 0 ? -1 : (v << 16) | sequence;
  }
}

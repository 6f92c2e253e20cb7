package org.sipline.backend.jainsip.media;

/**
 * Reads an RTCP compound packet (RFC 3550 §6) in place and tells a {@link Handler} what it holds:
 * sender reports, report blocks, SDES CNAMEs, BYEs. The whole datagram is checked first (RFC 3550
 * A.2: version 2 in every packet, the first one an SR or RR (or a lone BYE, as libre sends) without
 * padding, the packets' lengths adding up to the datagram's, every count fitting its packet), so a
 * malformed datagram is refused whole and the handler hears nothing of it. Packet types it does not
 * read (APP, XR, feedback) are skipped. Allocates nothing unless the packet is malformed.
 *
 * <pre>
 *  common header:  |V=2|P| count  |      PT       |   length (32-bit words − 1)   |
 *  SR  (PT 200):   header, SSRC, NTP (64), RTP ts, packets, octets, count × report block (24)
 *  RR  (PT 201):   header, SSRC, count × report block
 *  SDES (PT 202):  header, count × chunk: SSRC, items (type, length, text)…, 0, pad to 32 bits
 *  BYE (PT 203):   header, count × SSRC, [length, reason]
 *  report block:   SSRC, fraction lost (8), cumulative lost (24, signed), ext. highest seq,
 *                  jitter, LSR, DLSR
 * </pre>
 */
final class RtcpParser {
  static final int SR = 200;
  static final int RR = 201;
  static final int SDES = 202;
  static final int BYE = 203;
  static final int SDES_CNAME = 1;
  static final int HEADER_SIZE = 4;
  static final int REPORT_BLOCK_SIZE = 24;
  static final int SR_INFO_SIZE = 20;

  /** What a valid compound packet holds, in order. */
  interface Handler {
    void senderReport(
        long ssrc, long ntpSeconds, long ntpFraction, long rtpTimestamp, long packets, long octets);

    /**
     * One report block of an SR or RR.
     *
     * @param reporter the SSRC that sent the report
     * @param source the SSRC the block is about
     * @param fractionLost the 8-bit fraction, 0..255
     * @param cumulativeLost signed 24-bit count
     */
    void reportBlock(
        long reporter,
        long source,
        int fractionLost,
        int cumulativeLost,
        long extendedHighestSequence,
        long jitter,
        long lastSr,
        long delaySinceLastSr);

    void cname(long ssrc, byte[] buf, int offset, int length);

    void bye(long ssrc);
  }

  private RtcpParser() {}

  /**
   * Checks {@code buf[offset, offset + length)} and, when valid, hands its contents to {@code
   * handler}.
   *
   * @throws MalformedRtpException naming what does not fit, e.g. "RTCP length 7 words exceeds the
   *     16 bytes left"
   */
  static void parse(byte[] buf, int offset, int length, Handler handler)
      throws MalformedRtpException {
    validate(buf, offset, length);
    int pos = offset;
    int end = offset + length;
    while (pos < end) {
      int b0 = buf[pos] & 0xFF;
      int count = b0 & 0x1F;
      int pt = buf[pos + 1] & 0xFF;
      int size = (u16(buf, pos + 2) + 1) * 4;
      switch (pt) {
        case SR -> {
          long ssrc = u32(buf, pos + 4);
          handler.senderReport(
              ssrc,
              u32(buf, pos + 8),
              u32(buf, pos + 12),
              u32(buf, pos + 16),
              u32(buf, pos + 20),
              u32(buf, pos + 24));
          blocks(buf, pos + 28, count, ssrc, handler);
        }
        case RR -> blocks(buf, pos + 8, count, u32(buf, pos + 4), handler);
        case SDES -> sdes(buf, pos + HEADER_SIZE, pos + size, count, handler);
        case BYE -> {
          for (int i = 0; i < count; i++) {
            handler.bye(u32(buf, pos + HEADER_SIZE + 4 * i));
          }
        }
        default -> {
          // APP, XR, feedback: not read; their length was checked.
        }
      }
      pos += size;
    }
  }

  private static void blocks(byte[] buf, int at, int count, long reporter, Handler handler) {
    for (int i = 0; i < count; i++) {
      int p = at + i * REPORT_BLOCK_SIZE;
      int cumulative = (int) (u32(buf, p + 4) & 0xFF_FFFF);
      if ((cumulative & 0x80_0000) != 0) {
        cumulative -= 0x100_0000; // sign-extend the 24-bit count
      }
      handler.reportBlock(
          reporter,
          u32(buf, p),
          buf[p + 4] & 0xFF,
          cumulative,
          u32(buf, p + 8),
          u32(buf, p + 12),
          u32(buf, p + 16),
          u32(buf, p + 20));
    }
  }

  private static void sdes(byte[] buf, int pos, int end, int chunks, Handler handler) {
    int base = pos;
    for (int c = 0; c < chunks; c++) {
      long ssrc = u32(buf, pos);
      pos += 4;
      while (buf[pos] != 0) {
        int type = buf[pos] & 0xFF;
        int len = buf[pos + 1] & 0xFF;
        if (type == SDES_CNAME) {
          handler.cname(ssrc, buf, pos + 2, len);
        }
        pos += 2 + len;
      }
      // The null item, then padding to the next 32-bit boundary of the packet.
      pos = base + ((pos - base + 4) & ~3);
    }
    assert pos <= end;
  }

  /** Everything {@link #parse} relies on, checked before anything is handed on. */
  static void validate(byte[] buf, int offset, int length) throws MalformedRtpException {
    if (length < HEADER_SIZE + 4) {
      throw new MalformedRtpException("RTCP size " + length + " < 8");
    }
    if (offset < 0 || offset + length > buf.length) {
      throw new MalformedRtpException("RTCP size " + length + " beyond the buffer");
    }
    int first = buf[offset + 1] & 0xFF;
    // RFC 3550 §6.1 wants every compound packet to start with an SR or RR; libre (baresip)
    // sends its BYE alone at the end of a call, so a lone BYE is taken too.
    if (first != SR && first != RR && first != BYE) {
      throw new MalformedRtpException(
          "RTCP compound starts with type " + first + ", not SR/RR (or BYE)");
    }
    if ((buf[offset] & 0x20) != 0) {
      throw new MalformedRtpException("RTCP padding bit set in the first packet");
    }
    int pos = offset;
    int end = offset + length;
    while (pos < end) {
      int left = end - pos;
      if (left < HEADER_SIZE) {
        throw new MalformedRtpException("RTCP trailing " + left + " bytes < 4");
      }
      int b0 = buf[pos] & 0xFF;
      int version = b0 >>> 6;
      if (version != RtpPacket.VERSION) {
        throw new MalformedRtpException("RTCP version " + version + " != 2");
      }
      int count = b0 & 0x1F;
      int pt = buf[pos + 1] & 0xFF;
      int size = (u16(buf, pos + 2) + 1) * 4;
      if (size > left) {
        throw new MalformedRtpException(
            "RTCP type " + pt + " length " + size + " bytes exceeds the " + left + " left");
      }
      boolean padding = (b0 & 0x20) != 0;
      if (padding && pos + size != end) {
        throw new MalformedRtpException("RTCP padding in a packet that is not the last");
      }
      int body = size;
      if (padding) {
        int pad = buf[pos + size - 1] & 0xFF;
        if (pad == 0 || pad > size - HEADER_SIZE) {
          throw new MalformedRtpException("RTCP padding " + pad + " in a " + size + "-byte packet");
        }
        body = size - pad;
      }
      switch (pt) {
        case SR -> need(pt, body, HEADER_SIZE + 4 + SR_INFO_SIZE + count * REPORT_BLOCK_SIZE);
        case RR -> need(pt, body, HEADER_SIZE + 4 + count * REPORT_BLOCK_SIZE);
        case BYE -> {
          need(pt, body, HEADER_SIZE + 4 * count);
          int reasonAt = HEADER_SIZE + 4 * count;
          if (body > reasonAt) {
            need(pt, body, reasonAt + 1 + (buf[pos + reasonAt] & 0xFF));
          }
        }
        case SDES -> validateSdes(buf, pos + HEADER_SIZE, pos + body, count);
        default -> {
          // Not read; only its length matters.
        }
      }
      pos += size;
    }
  }

  private static void validateSdes(byte[] buf, int pos, int end, int chunks)
      throws MalformedRtpException {
    int base = pos;
    for (int c = 0; c < chunks; c++) {
      if (end - pos < 8) {
        throw new MalformedRtpException(
            "RTCP SDES chunk " + (c + 1) + " of " + chunks + " needs 8 bytes, has " + (end - pos));
      }
      pos += 4;
      while (true) {
        if (pos >= end) {
          throw new MalformedRtpException("RTCP SDES chunk " + (c + 1) + " without its end");
        }
        if (buf[pos] == 0) {
          break;
        }
        if (pos + 2 > end || pos + 2 + (buf[pos + 1] & 0xFF) > end) {
          throw new MalformedRtpException(
              "RTCP SDES item of type " + (buf[pos] & 0xFF) + " runs past its packet");
        }
        pos += 2 + (buf[pos + 1] & 0xFF);
      }
      pos = base + ((pos - base + 4) & ~3);
      if (pos > end) {
        throw new MalformedRtpException("RTCP SDES chunk " + (c + 1) + " padding runs past");
      }
    }
  }

  private static void need(int pt, int have, int need) throws MalformedRtpException {
    if (have < need) {
      throw new MalformedRtpException(
          "RTCP type " + pt + " needs " + need + " bytes for its count, has " + have);
    }
  }

  static int u16(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }

  static long u32(byte[] b, int i) {
    return ((long) (b[i] & 0xFF) << 24)
        | ((b[i + 1] & 0xFF) << 16)
        | ((b[i + 2] & 0xFF) << 8)
        | (b[i + 3] & 0xFF);
  }
}

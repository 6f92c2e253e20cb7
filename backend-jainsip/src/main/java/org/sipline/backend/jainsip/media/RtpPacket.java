package org.sipline.backend.jainsip.media;

/**
 * One RTP packet (RFC 3550 §5.1) read in place from a byte array: a reusable view, so that
 * receiving allocates nothing per packet. {@link #parse} checks every length before reading it; the
 * accessors are valid after a successful parse until the next one. {@link #writeHeader} is the
 * sending side: it writes the 12-byte fixed header into a caller's reusable buffer.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers (CC×)       |
 * | [extension: profile (16) | length in 32-bit words (16) | ...] |
 * | payload ...                     [padding ... | padding count] |
 * </pre>
 */
final class RtpPacket {
  static final int VERSION = 2;
  static final int FIXED_HEADER_SIZE = 12;

  private byte[] buffer;
  private int csrcOffset;
  private int csrcCount;
  private boolean padding;
  private boolean extension;
  private boolean marker;
  private int payloadType;
  private int sequenceNumber;
  private long timestamp;
  private long ssrc;
  private int payloadOffset;
  private int payloadLength;

  /**
   * Reads the packet in {@code buf[offset, offset + length)}.
   *
   * @throws MalformedRtpException naming what does not fit, e.g. "size 10 < 12"
   */
  void parse(byte[] buf, int offset, int length) throws MalformedRtpException {
    if (length < FIXED_HEADER_SIZE) {
      throw new MalformedRtpException("size " + length + " < " + FIXED_HEADER_SIZE);
    }
    int b0 = buf[offset] & 0xFF;
    int version = b0 >>> 6;
    if (version != VERSION) {
      throw new MalformedRtpException("version " + version + " != " + VERSION);
    }
    boolean hasPadding = (b0 & 0x20) != 0;
    boolean hasExtension = (b0 & 0x10) != 0;
    int cc = b0 & 0x0F;
    int headerEnd = FIXED_HEADER_SIZE + 4 * cc;
    if (length < headerEnd) {
      throw new MalformedRtpException(
          "CSRC count " + cc + " needs " + headerEnd + " bytes, have " + length);
    }
    if (hasExtension) {
      if (length < headerEnd + 4) {
        throw new MalformedRtpException(
            "extension header needs " + (headerEnd + 4) + " bytes, have " + length);
      }
      int words = u16(buf, offset + headerEnd + 2);
      int extensionEnd = headerEnd + 4 + 4 * words;
      if (length < extensionEnd) {
        throw new MalformedRtpException(
            "extension of " + words + " words needs " + extensionEnd + " bytes, have " + length);
      }
      headerEnd = extensionEnd;
    }
    int end = length;
    if (hasPadding) {
      int count = buf[offset + length - 1] & 0xFF;
      // The count includes itself, so 0 is impossible; it may not reach into the header.
      if (count == 0) {
        throw new MalformedRtpException("padding count 0");
      }
      if (count > length - headerEnd) {
        throw new MalformedRtpException(
            "padding "
                + count
                + " > "
                + (length - headerEnd)
                + " bytes after the "
                + headerEnd
                + "-byte header");
      }
      end = length - count;
    }
    int b1 = buf[offset + 1] & 0xFF;
    this.buffer = buf;
    this.padding = hasPadding;
    this.extension = hasExtension;
    this.csrcCount = cc;
    this.csrcOffset = offset + FIXED_HEADER_SIZE;
    this.marker = (b1 & 0x80) != 0;
    this.payloadType = b1 & 0x7F;
    this.sequenceNumber = u16(buf, offset + 2);
    this.timestamp = u32(buf, offset + 4);
    this.ssrc = u32(buf, offset + 8);
    this.payloadOffset = offset + headerEnd;
    this.payloadLength = end - headerEnd;
  }

  /**
   * Writes a version-2 fixed header without padding, extension or CSRCs at {@code dst[offset]}.
   *
   * @return the number of bytes written, {@value #FIXED_HEADER_SIZE}
   */
  static int writeHeader(
      byte[] dst,
      int offset,
      boolean marker,
      int payloadType,
      int sequenceNumber,
      long timestamp,
      long ssrc) {
    dst[offset] = (byte) (VERSION << 6);
    dst[offset + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
    dst[offset + 2] = (byte) (sequenceNumber >>> 8);
    dst[offset + 3] = (byte) sequenceNumber;
    putU32(dst, offset + 4, timestamp);
    putU32(dst, offset + 8, ssrc);
    return FIXED_HEADER_SIZE;
  }

  boolean padding() {
    return padding;
  }

  boolean extension() {
    return extension;
  }

  int csrcCount() {
    return csrcCount;
  }

  /** The {@code index}-th contributing source, 0 ≤ index < {@link #csrcCount()}. */
  long csrc(int index) {
    if (index < 0 || index >= csrcCount) {
      throw new IndexOutOfBoundsException("CSRC index " + index + " of " + csrcCount);
    }
    return u32(buffer, csrcOffset + 4 * index);
  }

  boolean marker() {
    return marker;
  }

  int payloadType() {
    return payloadType;
  }

  /** 0..65535. */
  int sequenceNumber() {
    return sequenceNumber;
  }

  /** 0..2³²−1. */
  long timestamp() {
    return timestamp;
  }

  /** 0..2³²−1. */
  long ssrc() {
    return ssrc;
  }

  /** Where the payload starts in the parsed array (after CSRCs and extension). */
  int payloadOffset() {
    return payloadOffset;
  }

  /** The payload's length without padding; may be 0. */
  int payloadLength() {
    return payloadLength;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }

  private static long u32(byte[] b, int i) {
    return ((long) (b[i] & 0xFF) << 24)
        | ((b[i + 1] & 0xFF) << 16)
        | ((b[i + 2] & 0xFF) << 8)
        | (b[i + 3] & 0xFF);
  }

  private static void putU32(byte[] b, int i, long v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }
}

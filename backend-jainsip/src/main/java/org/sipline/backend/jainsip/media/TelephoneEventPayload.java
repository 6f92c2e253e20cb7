package org.sipline.backend.jainsip.media;

/**
 * The payload of an RFC 4733 telephone-event packet (§2.3), read in place: a reusable view, so that
 * receiving allocates nothing per packet. {@link #parse} checks the length before reading; the
 * accessors are valid after a successful parse until the next one. {@link #write} is the sending
 * side.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |     event     |E|R| volume    |          duration             |
 * </pre>
 *
 * <p>Only the first four bytes are read: RFC 4733 puts exactly one event in a packet unless it is
 * carried by RFC 2198 redundancy, which we never negotiate; a longer payload (some senders pad) is
 * not an error.
 */
final class TelephoneEventPayload {
  static final int SIZE = 4;

  /** The highest event code that is a DTMF digit (0-9, *, #, A-D are 0..15). */
  static final int LAST_DTMF_EVENT = 15;

  private int event;
  private boolean end;
  private int volume;
  private int duration;

  /**
   * Reads the event in {@code buf[offset, offset + length)}.
   *
   * @throws MalformedRtpException when it is shorter than 4 bytes, e.g. "size 3 < 4"
   */
  void parse(byte[] buf, int offset, int length) throws MalformedRtpException {
    if (length < SIZE) {
      throw new MalformedRtpException("telephone-event size " + length + " < " + SIZE);
    }
    int b1 = buf[offset + 1] & 0xFF;
    event = buf[offset] & 0xFF;
    end = (b1 & 0x80) != 0;
    volume = b1 & 0x3F;
    duration = ((buf[offset + 2] & 0xFF) << 8) | (buf[offset + 3] & 0xFF);
  }

  /**
   * Writes one event at {@code dst[offset]} (the R bit zero).
   *
   * @return {@value #SIZE}, the bytes written
   */
  static int write(byte[] dst, int offset, int event, boolean end, int volume, int duration) {
    dst[offset] = (byte) event;
    dst[offset + 1] = (byte) ((end ? 0x80 : 0) | (volume & 0x3F));
    dst[offset + 2] = (byte) (duration >>> 8);
    dst[offset + 3] = (byte) duration;
    return SIZE;
  }

  /** 0..255; 0..15 are the DTMF digits, see {@link org.sipline.core.spi.DtmfEvent#DIGITS}. */
  int event() {
    return event;
  }

  /** The E bit: this packet ends the event. */
  boolean end() {
    return end;
  }

  /** The tone's power level in −dBm0, 0..63. */
  int volume() {
    return volume;
  }

  /** How long the event has lasted so far, in timestamp units, 0..65535. */
  int duration() {
    return duration;
  }
}

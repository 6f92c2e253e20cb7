package org.sipline.backend.jainsip.media.srtp;

import java.security.SecureRandom;
import java.util.Random;

/** Plain RTP and RTCP packets for the SRTP tests, and a matching pair of ends. */
final class SrtpPackets {
  static final int MAX = 1500;

  private SrtpPackets() {}

  static SrtpKeys keys(SrtpSuite suite, long seed) {
    Random random = new Random(seed);
    byte[] key = new byte[SrtpSuite.KEY_LENGTH];
    byte[] salt = new byte[SrtpSuite.SALT_LENGTH];
    random.nextBytes(key);
    random.nextBytes(salt);
    return SrtpKeys.of(suite, key, salt);
  }

  static SrtpKeys freshKeys(SrtpSuite suite) {
    return SrtpKeys.generate(suite, new SecureRandom());
  }

  /**
   * An RTP packet in a buffer of {@link #MAX} bytes; returns its length.
   *
   * @param csrcs 0..15 contributing sources
   * @param extensionWords -1 for no header extension, else its length in 32-bit words
   */
  static int rtp(
      byte[] into,
      int sequence,
      long ssrc,
      boolean marker,
      int csrcs,
      int extensionWords,
      int payloadLength,
      Random random) {
    int at = 0;
    into[at++] = (byte) (0x80 | (extensionWords >= 0 ? 0x10 : 0) | csrcs);
    into[at++] = (byte) ((marker ? 0x80 : 0) | 0);
    into[at++] = (byte) (sequence >>> 8);
    into[at++] = (byte) sequence;
    RtpHeaders.putWord(into, at, random.nextInt() & 0xFFFF_FFFFL);
    at += 4;
    RtpHeaders.putWord(into, at, ssrc);
    at += 4;
    for (int i = 0; i < csrcs; i++) {
      RtpHeaders.putWord(into, at, random.nextInt() & 0xFFFF_FFFFL);
      at += 4;
    }
    if (extensionWords >= 0) {
      into[at++] = (byte) 0xBE;
      into[at++] = (byte) 0xDE;
      into[at++] = (byte) (extensionWords >>> 8);
      into[at++] = (byte) extensionWords;
      for (int i = 0; i < extensionWords * 4; i++) {
        into[at++] = (byte) random.nextInt();
      }
    }
    for (int i = 0; i < payloadLength; i++) {
      into[at++] = (byte) random.nextInt();
    }
    return at;
  }

  /** A receiver report with one report block and room for its tail; returns its length. */
  static int rtcp(byte[] into, long ssrc, Random random) {
    into[0] = (byte) 0x81;
    into[1] = (byte) 201;
    into[2] = 0;
    into[3] = 7;
    RtpHeaders.putWord(into, 4, ssrc);
    for (int i = 8; i < 32; i++) {
      into[i] = (byte) random.nextInt();
    }
    return 32;
  }
}

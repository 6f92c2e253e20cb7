package org.sipline.core.audio;

import java.util.Objects;

/**
 * ITU-T G.711 companding between 16-bit linear PCM and 8-bit µ-law (PCMU) or A-law (PCMA), bit
 * exact with the ITU-T G.191 software tools library.
 *
 * <p>The 16-bit input is read as the standard's 14-bit (µ-law) or 13-bit (A-law) uniform code
 * left-justified; for negative inputs the magnitude is the one's complement, which makes the
 * quantiser symmetric ({@code x} and {@code -1 - x} get codes that differ only in the sign bit).
 * Decoding yields each step's reconstruction value scaled to 16 bits (µ-law ±32124 at most, A-law
 * ±32256).
 *
 * <p>Both directions are table lookups: the code word depends only on the top 14 (µ-law) or 12
 * (A-law) bits of the sample, so the encode tables hold 16384 and 4096 entries.
 */
public final class G711 {
  private static final short[] ULAW_DECODE = new short[256];
  private static final short[] ALAW_DECODE = new short[256];

  /** Indexed by the sample's top 14 bits ({@code (x >> 2) & 0x3FFF}). */
  private static final byte[] ULAW_ENCODE = new byte[1 << 14];

  /** Indexed by the sample's top 12 bits ({@code (x >> 4) & 0xFFF}). */
  private static final byte[] ALAW_ENCODE = new byte[1 << 12];

  static {
    for (int code = 0; code < 256; code++) {
      ULAW_DECODE[code] = computeUlawToLinear(code);
      ALAW_DECODE[code] = computeAlawToLinear(code);
    }
    for (int i = 0; i < ULAW_ENCODE.length; i++) {
      // Sign-extend the 14-bit index back to the sample it stands for.
      ULAW_ENCODE[i] = computeLinearToUlaw(((i << 18) >> 18) << 2);
    }
    for (int i = 0; i < ALAW_ENCODE.length; i++) {
      ALAW_ENCODE[i] = computeLinearToAlaw(((i << 20) >> 20) << 4);
    }
  }

  private G711() {}

  /**
   * One linear 16-bit sample as a μ-law code (bits inverted, as on the wire), clipped at G.711's
   * range.
   *
   * @param sample the sample
   * @return the code
   */
  public static byte linearToUlaw(short sample) {
    return ULAW_ENCODE[(sample >> 2) & 0x3FFF];
  }

  /**
   * One μ-law code as a linear 16-bit sample (G.711 table lookup).
   *
   * @param code the code as it is on the wire
   * @return the sample
   */
  public static short ulawToLinear(byte code) {
    return ULAW_DECODE[code & 0xFF];
  }

  /**
   * One linear 16-bit sample as an A-law code (even bits inverted, as on the wire).
   *
   * @param sample the sample
   * @return the code
   */
  public static byte linearToAlaw(short sample) {
    return ALAW_ENCODE[(sample >> 4) & 0xFFF];
  }

  /**
   * One A-law code as a linear 16-bit sample (G.711 table lookup).
   *
   * @param code the code as it is on the wire
   * @return the sample
   */
  public static short alawToLinear(byte code) {
    return ALAW_DECODE[code & 0xFF];
  }

  /**
   * Encodes {@code len} samples from {@code src[srcOff..]} into {@code dst[dstOff..]}.
   *
   * @param src linear 16-bit samples
   * @param srcOff the first sample to encode
   * @param dst where the μ-law codes go
   * @param dstOff the first code's index in {@code dst}
   * @param len how many samples
   */
  public static void encodeUlaw(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
    checkRanges(src.length, srcOff, dst.length, dstOff, len);
    for (int i = 0; i < len; i++) {
      dst[dstOff + i] = ULAW_ENCODE[(src[srcOff + i] >> 2) & 0x3FFF];
    }
  }

  /**
   * Decodes {@code len} codes from {@code src[srcOff..]} into {@code dst[dstOff..]}.
   *
   * @param src μ-law codes
   * @param srcOff the first code to decode
   * @param dst where the linear samples go
   * @param dstOff the first sample's index in {@code dst}
   * @param len how many codes
   */
  public static void decodeUlaw(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
    checkRanges(src.length, srcOff, dst.length, dstOff, len);
    for (int i = 0; i < len; i++) {
      dst[dstOff + i] = ULAW_DECODE[src[srcOff + i] & 0xFF];
    }
  }

  /**
   * Encodes {@code len} samples from {@code src[srcOff..]} into {@code dst[dstOff..]}.
   *
   * @param src linear 16-bit samples
   * @param srcOff the first sample to encode
   * @param dst where the A-law codes go
   * @param dstOff the first code's index in {@code dst}
   * @param len how many samples
   */
  public static void encodeAlaw(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
    checkRanges(src.length, srcOff, dst.length, dstOff, len);
    for (int i = 0; i < len; i++) {
      dst[dstOff + i] = ALAW_ENCODE[(src[srcOff + i] >> 4) & 0xFFF];
    }
  }

  /**
   * Decodes {@code len} codes from {@code src[srcOff..]} into {@code dst[dstOff..]}.
   *
   * @param src A-law codes
   * @param srcOff the first code to decode
   * @param dst where the linear samples go
   * @param dstOff the first sample's index in {@code dst}
   * @param len how many codes
   */
  public static void decodeAlaw(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
    checkRanges(src.length, srcOff, dst.length, dstOff, len);
    for (int i = 0; i < len; i++) {
      dst[dstOff + i] = ALAW_DECODE[src[srcOff + i] & 0xFF];
    }
  }

  private static void checkRanges(int srcLength, int srcOff, int dstLength, int dstOff, int len) {
    Objects.checkFromIndexSize(srcOff, len, srcLength);
    Objects.checkFromIndexSize(dstOff, len, dstLength);
  }

  /**
   * µ-law: the magnitude in 14-bit units plus the bias 33 falls in segment s when it lies in
   * [32·2^s, 64·2^s); the four bits below the leading one are the step. The code word is sent
   * inverted.
   */
  private static byte computeLinearToUlaw(int sample) {
    int magnitude = sample < 0 ? ~sample : sample;
    int biased = Math.min((magnitude >> 2) + 33, 0x1FFF);
    int segment = 31 - Integer.numberOfLeadingZeros(biased) - 5;
    int step = (biased >> (segment + 1)) & 0xF;
    int code = (segment << 4) | step;
    return (byte) (code ^ (sample < 0 ? 0x7F : 0xFF));
  }

  private static short computeUlawToLinear(int code) {
    int inverted = ~code & 0xFF;
    int segment = (inverted >> 4) & 0x7;
    int step = inverted & 0xF;
    // Reconstruction value of the step, in 16-bit units: the bias 132 (33 · 4) is removed again.
    int magnitude = (((step << 3) + 132) << segment) - 132;
    return (short) ((inverted & 0x80) != 0 ? -magnitude : magnitude);
  }

  /**
   * A-law: the magnitude in 12-bit units; values below 32 share the finest step size (segments 0
   * and 1), above that segment s covers [8·2^s, 16·2^s). Even bits of the code word are inverted on
   * the line.
   */
  private static byte computeLinearToAlaw(int sample) {
    int magnitude = (sample < 0 ? ~sample : sample) >> 4;
    int code;
    if (magnitude < 16) {
      code = magnitude;
    } else {
      int segment = 31 - Integer.numberOfLeadingZeros(magnitude) - 3;
      code = (segment << 4) | ((magnitude >> (segment - 1)) & 0xF);
    }
    if (sample >= 0) {
      code |= 0x80;
    }
    return (byte) (code ^ 0x55);
  }

  private static short computeAlawToLinear(int code) {
    int plain = code ^ 0x55;
    int segment = (plain >> 4) & 0x7;
    int step = plain & 0xF;
    int magnitude = segment == 0 ? (step << 4) + 8 : ((step << 4) + 0x108) << (segment - 1);
    return (short) ((plain & 0x80) != 0 ? magnitude : -magnitude);
  }
}

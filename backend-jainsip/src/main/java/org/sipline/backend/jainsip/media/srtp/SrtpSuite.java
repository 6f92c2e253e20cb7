package org.sipline.backend.jainsip.media.srtp;

import java.util.Optional;

/**
 * The SDES crypto suites sipline speaks (RFC 4568 §6.2): AES in counter mode with a 128-bit key and
 * HMAC-SHA1, the SRTP tag cut to 80 or 32 bits. SRTCP's tag is 80 bits for both (§6.2.2: only the
 * SRTP tag is shortened, RTCP is too rare for the saving to matter).
 */
public enum SrtpSuite {
  /** AES-CM, 128-bit key, HMAC-SHA1 with an 80-bit SRTP tag. */
  AES_CM_128_HMAC_SHA1_80(10),
  /** The same with a 32-bit SRTP tag (SRTCP's stays 80 bits). */
  AES_CM_128_HMAC_SHA1_32(4);

  /** The master key's length in bytes (128 bits). */
  public static final int KEY_LENGTH = 16;

  /** The master salt's length in bytes (112 bits). */
  public static final int SALT_LENGTH = 14;

  /** SRTCP's authentication tag in bytes, either suite. */
  public static final int RTCP_TAG_LENGTH = 10;

  /** The longest SRTP tag of any suite: room a protected packet needs past its plain length. */
  public static final int MAX_RTP_TAG_LENGTH = 10;

  /** Room a protected RTCP packet needs past its plain length: E flag and index, then the tag. */
  public static final int RTCP_OVERHEAD = 4 + RTCP_TAG_LENGTH;

  private final int rtpTagLength;

  SrtpSuite(int rtpTagLength) {
    this.rtpTagLength = rtpTagLength;
  }

  /**
   * The SRTP authentication tag's length.
   *
   * @return bytes: 10 or 4
   */
  public int rtpTagLength() {
    return rtpTagLength;
  }

  /**
   * The name on an SDP crypto line.
   *
   * @return e.g. {@code AES_CM_128_HMAC_SHA1_80}
   */
  public String sdesName() {
    return name();
  }

  /**
   * The suite of an SDP crypto line's name (case-sensitive, as RFC 4568's grammar), if any.
   *
   * @param name the name as the line has it
   * @return the suite, or empty when sipline does not speak it
   */
  public static Optional<SrtpSuite> bySdesName(String name) {
    for (SrtpSuite suite : values()) {
      if (suite.name().equals(name)) {
        return Optional.of(suite);
      }
    }
    return Optional.empty();
  }
}

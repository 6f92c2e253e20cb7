package org.sipline.benchmarks.pacing;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * What the line stack's calls carry in one phase: a codec and an SRTP mode. The load offers only
 * that codec (the backend's codec list option) with the backend's {@code --srtp} mode, and the
 * harness's SIPp callee answers exactly it, so the load encodes — and encrypts — every frame for
 * real. The callee's own key is a fresh random one per phase: nothing is ever sent with it (the
 * callee sends no RTP), but the answer must carry a valid one for the load to take the call.
 *
 * @param codec "pcmu", "pcma", "g722" or "opus"
 * @param srtp "off" or "require"
 */
record MediaVariant(String codec, String srtp) {
  /** Plain PCMU: what the harness measured before codecs and SRTP were switches. */
  static final MediaVariant PLAIN_PCMU = new MediaVariant("pcmu", "off");

  /** AES_CM_128_HMAC_SHA1_80 keys 16 bytes and salts 14 (RFC 4568 §6.2.1's inline). */
  private static final int KEY_AND_SALT_BYTES = 30;

  private static final SecureRandom RANDOM = new SecureRandom();

  MediaVariant {
    rtpClockRate(codec); // refuses an unknown codec here rather than in a SIPp answer
    if (!srtp.equals("off") && !srtp.equals("require")) {
      throw new IllegalArgumentException("srtp must be off or require, got " + srtp);
    }
  }

  /** The RTP clock of {@code codec}: 48 kHz for Opus (RFC 7587 §4.1), 8 kHz for the others. */
  static int rtpClockRate(String codec) {
    return switch (codec) {
      case "pcmu", "pcma", "g722" -> 8000; // G.722's clock is 8 kHz for 16 kHz audio (RFC 3551)
      case "opus" -> 48000;
      default -> throw new IllegalArgumentException("unknown codec " + codec);
    };
  }

  /** The RTP clock of this phase's streams. */
  int rtpClockRate() {
    return rtpClockRate(codec);
  }

  /** Whether the calls are SRTP. */
  boolean secure() {
    return srtp.equals("require");
  }

  /** A label for the results, e.g. "g722" or "pcmu srtp". */
  String label() {
    return secure() ? codec + " srtp" : codec;
  }

  /** The phase directory's suffix, e.g. "-g722" or "-pcmu-srtp". */
  String dirSuffix() {
    return "-" + label().replace(' ', '-');
  }

  /**
   * The callee's answer: its m= line ({@code @SINK_PORT@} for the port) and attributes, one per
   * line, in the payload type our offer gives the codec (Opus's is dynamic: 111).
   */
  String calleeMedia() {
    String format =
        switch (codec) {
          case "pcmu" -> "0\na=rtpmap:0 PCMU/8000";
          case "pcma" -> "8\na=rtpmap:8 PCMA/8000";
          case "g722" -> "9\na=rtpmap:9 G722/8000";
          case "opus" ->
              "111\na=rtpmap:111 opus/48000/2\n"
                  + "a=fmtp:111 maxplaybackrate=16000;sprop-maxcapturerate=16000";
          default -> throw new IllegalStateException(codec);
        };
    String media = "m=audio @SINK_PORT@ " + (secure() ? "RTP/SAVP " : "RTP/AVP ") + format;
    if (secure()) {
      byte[] keyAndSalt = new byte[KEY_AND_SALT_BYTES];
      RANDOM.nextBytes(keyAndSalt);
      media +=
          "\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
              + Base64.getEncoder().encodeToString(keyAndSalt);
    }
    return media;
  }
}

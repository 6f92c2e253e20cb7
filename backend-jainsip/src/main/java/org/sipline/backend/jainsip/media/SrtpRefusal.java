package org.sipline.backend.jainsip.media;

import org.sipline.backend.jainsip.media.srtp.SrtpUnprotector;

/** Words for {@link SrtpUnprotector}'s refusal codes, for log lines. */
final class SrtpRefusal {
  private SrtpRefusal() {}

  static String text(int code) {
    return switch (code) {
      case SrtpUnprotector.AUTH_FAILED -> "authentication failed";
      case SrtpUnprotector.REPLAYED -> "replayed";
      case SrtpUnprotector.OUT_OF_WINDOW -> "index behind the replay window";
      case SrtpUnprotector.MALFORMED -> "too short for a header and a tag";
      default -> "refused (" + code + ")";
    };
  }
}

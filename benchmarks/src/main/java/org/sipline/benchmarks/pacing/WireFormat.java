package org.sipline.benchmarks.pacing;

import java.util.List;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.sipline.benchmarks.harness.CapturedPacket;

/**
 * What the load's packets were on the wire in a window: their RTP payload types and UDP payload
 * lengths. It proves a phase measured what it says: a G.722 phase whose packets are payload type 0
 * measured PCMU, an SRTP phase whose PCMU packets are 172 bytes (12 + 160, no 10-byte
 * authentication tag) measured plain RTP.
 *
 * @param payloadTypes the payload types seen, ascending (empty when the capture recorded none)
 * @param minLength the shortest UDP payload, bytes (-1 when none was recorded)
 * @param maxLength the longest UDP payload, bytes (-1 when none was recorded)
 */
record WireFormat(List<Integer> payloadTypes, int minLength, int maxLength) {

  /** RFC 3711's authentication tag under AES_CM_128_HMAC_SHA1_80 (what our offer puts first). */
  static final int SRTP_TAG_BYTES = 10;

  private static final int RTP_HEADER_BYTES = 12;

  /** 20 ms of PCMU, PCMA (one byte a sample at 8 kHz) and G.722 (4 bits a sample at 16 kHz). */
  private static final int FIXED_PAYLOAD_BYTES = 160;

  WireFormat {
    payloadTypes = List.copyOf(payloadTypes);
  }

  /** The format of the packets to {@code destination} captured in [fromNanos, toNanos). */
  static WireFormat of(
      List<CapturedPacket> packets, long fromNanos, long toNanos, IntPredicate destination) {
    TreeSet<Integer> types = new TreeSet<>();
    int min = Integer.MAX_VALUE;
    int max = -1;
    for (CapturedPacket p : packets) {
      if (p.epochNanos() < fromNanos
          || p.epochNanos() >= toNanos
          || !destination.test(p.dstPort())) {
        continue;
      }
      if (p.payloadType() >= 0) {
        types.add(p.payloadType());
      }
      if (p.udpLength() >= 0) {
        min = Math.min(min, p.udpLength());
        max = Math.max(max, p.udpLength());
      }
    }
    return new WireFormat(List.copyOf(types), max < 0 ? -1 : min, max);
  }

  /** For the results: "PT 9, 182 bytes", "PT 111, 41–96 bytes", or "not recorded". */
  String describe() {
    if (payloadTypes.isEmpty() && maxLength < 0) {
      return "not recorded";
    }
    StringBuilder sb = new StringBuilder("PT ");
    for (int i = 0; i < payloadTypes.size(); i++) {
      sb.append(i == 0 ? "" : "+").append(payloadTypes.get(i));
    }
    if (maxLength >= 0) {
      sb.append(", ").append(minLength);
      if (maxLength != minLength) {
        sb.append('–').append(maxLength);
      }
      sb.append(" bytes");
    }
    return sb.toString();
  }

  /**
   * Why these packets are not what {@code variant} sends, or null when they are (or when the
   * capture recorded neither field). An Opus payload's length varies, so SRTP cannot be told from
   * it; G.711 and G.722 frames are a fixed 160 bytes, so the tag shows.
   */
  String mismatch(MediaVariant variant) {
    int pt = payloadType(variant.codec());
    if (!payloadTypes.isEmpty() && !payloadTypes.equals(List.of(pt))) {
      return variant.codec()
          + " is payload type "
          + pt
          + ", but the load sent "
          + describe()
          + ": the codec switch did not reach the calls";
    }
    if (maxLength >= 0 && !variant.codec().equals("opus")) {
      int want = RTP_HEADER_BYTES + FIXED_PAYLOAD_BYTES + (variant.secure() ? SRTP_TAG_BYTES : 0);
      if (minLength != want || maxLength != want) {
        return variant.label()
            + " packets are "
            + want
            + " bytes, but the load sent "
            + describe()
            + (variant.secure()
                ? ": no SRTP authentication tag"
                : ": more than a plain RTP header and frame");
      }
    }
    return null;
  }

  /** The payload type our offer gives {@code codec}: the static ones, and Opus's dynamic 111. */
  static int payloadType(String codec) {
    return switch (codec) {
      case "pcmu" -> 0;
      case "pcma" -> 8;
      case "g722" -> 9;
      case "opus" -> 111;
      default -> throw new IllegalArgumentException("unknown codec " + codec);
    };
  }
}

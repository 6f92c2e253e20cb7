package org.sipline.backend.jainsip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Our side of one call's SDP offer/answer (RFC 3264): we offer PCMU, PCMA and telephone-event with
 * 20 ms packets; we answer with the first of PCMU/PCMA in the offerer's order of preference,
 * telephone-event when offered, and every other stream refused with port 0.
 */
final class LocalSdp {
  /** Our telephone-event payload type in offers; in answers we take the offerer's. */
  static final int OUR_TELEPHONE_EVENT = 101;

  private final String address;
  private final int port;
  private final long sessionId;
  private long version;
  private String last;

  /**
   * @param address our advertised address (c= and o=)
   * @param port our RTP port (m=)
   * @param sessionId o= session id, random per call
   */
  LocalSdp(String address, int port, long sessionId) {
    this.address = address;
    this.port = port;
    this.sessionId = sessionId;
  }

  int port() {
    return port;
  }

  /**
   * The SDP we sent last, unchanged (its version too): a session refresh's offer, which changes
   * nothing (RFC 4028 §7.4, RFC 3264 §8); our offer when we sent none yet.
   */
  String repeat() {
    return last != null ? last : offer();
  }

  /** Our offer. */
  String offer() {
    StringBuilder sb = header();
    sb.append("m=audio ")
        .append(port)
        .append(" RTP/AVP 0 8 ")
        .append(OUR_TELEPHONE_EVENT)
        .append("\r\n");
    sb.append("a=rtpmap:0 PCMU/8000\r\n");
    sb.append("a=rtpmap:8 PCMA/8000\r\n");
    sb.append("a=rtpmap:").append(OUR_TELEPHONE_EVENT).append(" telephone-event/8000\r\n");
    sb.append("a=fmtp:").append(OUR_TELEPHONE_EVENT).append(" 0-16\r\n");
    sb.append("a=ptime:20\r\n");
    sb.append("a=sendrecv\r\n");
    last = sb.toString();
    return last;
  }

  /**
   * The plan for answering {@code offer}, or null when it has no RTP audio stream with PCMU or PCMA
   * (answer 488 then).
   */
  static MediaPlan planFor(SessionDescription offer) {
    MediaDescription audio = chosenAudio(offer);
    return audio == null ? null : plan(offer, audio);
  }

  /** Our answer to {@code offer}, agreeing to {@code plan} (from {@link #planFor}). */
  // Identity on purpose: two m= lines may be equal, and only the chosen one is accepted.
  @SuppressWarnings("ReferenceEquality")
  String answer(SessionDescription offer, MediaPlan plan) {
    MediaDescription chosen = chosenAudio(offer);
    StringBuilder sb = header();
    for (MediaDescription m : offer.media()) {
      if (m != chosen) {
        // RFC 3264 §6: one m= line per offered stream; port 0 refuses it.
        sb.append("m=")
            .append(m.media())
            .append(" 0 ")
            .append(m.proto())
            .append(' ')
            .append(m.formats().get(0))
            .append("\r\n");
        continue;
      }
      sb.append("m=audio ")
          .append(port)
          .append(' ')
          .append(m.proto())
          .append(' ')
          .append(plan.payloadType());
      if (plan.telephoneEvent() >= 0) {
        sb.append(' ').append(plan.telephoneEvent());
      }
      sb.append("\r\n");
      sb.append("a=rtpmap:")
          .append(plan.payloadType())
          .append(' ')
          .append(plan.codecName())
          .append("/8000\r\n");
      if (plan.telephoneEvent() >= 0) {
        sb.append("a=rtpmap:").append(plan.telephoneEvent()).append(" telephone-event/8000\r\n");
        sb.append("a=fmtp:").append(plan.telephoneEvent()).append(" 0-16\r\n");
      }
      sb.append("a=ptime:20\r\n");
      sb.append("a=").append(answerDirection(m.direction())).append("\r\n");
    }
    last = sb.toString();
    return last;
  }

  /** The plan in the peer's answer to our offer, or null when it accepted no PCMU or PCMA audio. */
  static MediaPlan planFromAnswer(SessionDescription answer) {
    MediaDescription audio = chosenAudio(answer);
    return audio == null ? null : plan(answer, audio);
  }

  /** The first RTP audio stream, not refused, that carries PCMU or PCMA. */
  private static MediaDescription chosenAudio(SessionDescription sdp) {
    for (MediaDescription m : sdp.media()) {
      if (m.isRtpAudio() && m.port() != 0 && codec(m) >= 0) {
        return m;
      }
    }
    return null;
  }

  private static MediaPlan plan(SessionDescription sdp, MediaDescription m) {
    String connection = sdp.connectionOf(m);
    boolean legacyHold = connection != null && LiteralAddress.parse(connection).isAnyLocalAddress();
    return new MediaPlan(
        remote(connection, m.port()),
        codec(m),
        telephoneEvent(m),
        legacyHold ? "inactive" : m.direction());
  }

  /** The first of PCMU (0) / PCMA (8) in the stream's own order, or -1. */
  private static int codec(MediaDescription m) {
    for (String f : m.formats()) {
      if (f.equals("0")) {
        return MediaPlan.PCMU;
      }
      if (f.equals("8")) {
        return MediaPlan.PCMA;
      }
    }
    return -1;
  }

  private static int telephoneEvent(MediaDescription m) {
    for (String f : m.formats()) {
      int pt;
      try {
        pt = Integer.parseInt(f);
      } catch (NumberFormatException e) {
        continue;
      }
      String map = m.rtpmap().get(pt);
      if (map != null && map.toLowerCase(Locale.ROOT).startsWith("telephone-event/8000")) {
        return pt;
      }
    }
    return MediaPlan.NO_TELEPHONE_EVENT;
  }

  private static InetSocketAddress remote(String connection, int port) {
    if (connection == null) {
      return null;
    }
    // A literal: SessionDescription refused anything else, so no DNS is asked here.
    InetAddress address = LiteralAddress.parse(connection);
    // 0.0.0.0 is RFC 2543's hold; neither it nor a multicast group is where a phone sends.
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return null;
    }
    return new InetSocketAddress(address, port);
  }

  private static String answerDirection(String offered) {
    return switch (offered) {
      case "sendonly" -> "recvonly";
      case "recvonly" -> "sendonly";
      case "inactive" -> "inactive";
      default -> "sendrecv";
    };
  }

  private StringBuilder header() {
    String ipVersion = address.contains(":") ? "IP6" : "IP4";
    StringBuilder sb = new StringBuilder(256);
    sb.append("v=0\r\n");
    sb.append("o=sipline ")
        .append(sessionId)
        .append(' ')
        .append(version++)
        .append(" IN ")
        .append(ipVersion)
        .append(' ')
        .append(address)
        .append("\r\n");
    sb.append("s=sipline\r\n");
    sb.append("c=IN ").append(ipVersion).append(' ').append(address).append("\r\n");
    sb.append("t=0 0\r\n");
    return sb;
  }
}

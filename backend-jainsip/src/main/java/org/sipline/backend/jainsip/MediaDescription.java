package org.sipline.backend.jainsip;

import java.util.List;
import java.util.Map;

/**
 * One m= section of an SDP (RFC 4566 §5.14) with the attributes offer/answer needs.
 *
 * @param media "audio", "video", …
 * @param port the transport port; 0 means the stream is rejected or disabled
 * @param proto e.g. "RTP/AVP"
 * @param formats the payload types (or format tokens), in the sender's order of preference
 * @param connection this section's c= address, or null to use the session's
 * @param rtpmap payload type → "encoding/clock rate[/channels]"
 * @param direction sendrecv, sendonly, recvonly or inactive (sendrecv when none is given)
 * @param crypto the values of its {@code a=crypto:} attributes (RFC 4568), unparsed and in order:
 *     each is read alone, so one bad line does not spoil the others
 * @param fmtp payload type → its {@code a=fmtp:} parameters (RFC 4566 §6), unparsed: what they mean
 *     depends on the format (e.g. Opus's, RFC 7587 §6.1)
 */
record MediaDescription(
    String media,
    int port,
    String proto,
    List<String> formats,
    String connection,
    Map<Integer, String> rtpmap,
    String direction,
    List<String> crypto,
    Map<Integer, String> fmtp) {
  MediaDescription {
    formats = List.copyOf(formats);
    rtpmap = Map.copyOf(rtpmap);
    crypto = List.copyOf(crypto);
    fmtp = Map.copyOf(fmtp);
  }

  MediaDescription(
      String media,
      int port,
      String proto,
      List<String> formats,
      String connection,
      Map<Integer, String> rtpmap,
      String direction,
      List<String> crypto) {
    this(media, port, proto, formats, connection, rtpmap, direction, crypto, Map.of());
  }

  MediaDescription(
      String media,
      int port,
      String proto,
      List<String> formats,
      String connection,
      Map<Integer, String> rtpmap,
      String direction) {
    this(media, port, proto, formats, connection, rtpmap, direction, List.of());
  }

  /** Whether the profile is secure RTP (RTP/SAVP, RTP/SAVPF), keyed here by SDES. */
  boolean isSecure() {
    return proto.toUpperCase(java.util.Locale.ROOT).startsWith("RTP/SAVP");
  }

  boolean isRtpAudio() {
    return media.equals("audio") && proto.toUpperCase(java.util.Locale.ROOT).startsWith("RTP/");
  }
}

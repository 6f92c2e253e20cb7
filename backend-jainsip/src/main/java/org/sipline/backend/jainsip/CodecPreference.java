package org.sipline.backend.jainsip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.OpusEncoder;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.CodecList;

/**
 * The codecs a call may use, in our order of preference ({@code --codecs}, the backend option
 * {@value CodecList#OPTION}): the order of our offer's formats, and the one we pick from an offer
 * (RFC 3264 §6.1 lets the answerer choose; the offerer's order only breaks no tie here, ours
 * decides). An answer to our offer is taken in its own order, as RFC 3264 §6.1 says the answerer's
 * list is its preference.
 *
 * <p>Formats are matched by their rtpmap (encoding name case-insensitive, the clock rate exact:
 * {@code G722/8000}, {@code opus/48000/2}) or, without one, by the static payload types 0, 8 and 9.
 * telephone-event must run at the chosen codec's clock: {@code telephone-event/8000} with G.711 and
 * G.722, {@code /48000} with Opus (RFC 4733 §2.1).
 */
final class CodecPreference {
  /** G.711 only: what the SDP code offered before codecs were configurable (its tests' default). */
  static final CodecPreference G711 = new CodecPreference(List.of(Codec.PCMU, Codec.PCMA));

  /** Our telephone-event payload type at 48 kHz, offered beside Opus. */
  static final int OUR_TELEPHONE_EVENT_48K = 102;

  private final List<Codec> codecs;

  private CodecPreference(List<Codec> codecs) {
    this.codecs = List.copyOf(codecs);
  }

  /**
   * Without the option: every codec in {@link CodecList#NAMES}' order, Opus left out where libopus
   * does not load (G.711 always).
   */
  static CodecPreference defaults(Availability opus) {
    List<Codec> list = new ArrayList<>();
    if (opus.available()) {
      list.add(Codec.OPUS);
    }
    list.addAll(List.of(Codec.G722, Codec.PCMU, Codec.PCMA));
    return new CodecPreference(list);
  }

  /**
   * Reads the option's value: codec names, comma-separated, most preferred first.
   *
   * @throws IllegalArgumentException naming an unknown or repeated codec and the valid ones, or
   *     Opus where libopus does not load (with the reason)
   */
  static CodecPreference parse(String value) {
    return parse(value, OpusEncoder.availability());
  }

  static CodecPreference parse(String value, Availability opus) {
    // The reading (and its refusals) is core's, the same on every backend.
    List<Codec> list = new ArrayList<>();
    for (String n :
        CodecList.parse(value, name -> name.equals(CodecList.OPUS) ? opus : Availability.yes())) {
      list.add(
          switch (n) {
            case CodecList.PCMU -> Codec.PCMU;
            case CodecList.PCMA -> Codec.PCMA;
            case CodecList.G722 -> Codec.G722;
            default -> Codec.OPUS;
          });
    }
    return new CodecPreference(list);
  }

  List<Codec> codecs() {
    return codecs;
  }

  /**
   * Mid-call (a re-INVITE, an UPDATE): the call's audio rate cannot change under the core, nor the
   * RTP clock under the stream, so only codecs of {@code current}'s rate and clock qualify, {@code
   * current} first (no needless switch).
   */
  CodecPreference keeping(Codec current) {
    List<Codec> list = new ArrayList<>();
    list.add(current);
    for (Codec c : codecs) {
      if (c != current
          && c.audioRate() == current.audioRate()
          && c.rtpClockRate() == current.rtpClockRate()) {
        list.add(c);
      }
    }
    return new CodecPreference(list);
  }

  /** The payload type we offer {@code c} with. */
  static int offeredPayloadType(Codec c) {
    return c == Codec.OPUS ? Codec.OPUS_PAYLOAD_TYPE : c.payloadType();
  }

  /** Whether we offer telephone-event at 48 kHz: with Opus. */
  boolean offersOpus() {
    return codecs.contains(Codec.OPUS);
  }

  /** Our offer's formats after the m= line's protocol: codecs in order, then telephone-event. */
  String offerFormats() {
    StringBuilder sb = new StringBuilder();
    for (Codec c : codecs) {
      sb.append(offeredPayloadType(c)).append(' ');
    }
    sb.append(LocalSdp.OUR_TELEPHONE_EVENT);
    if (offersOpus()) {
      sb.append(' ').append(OUR_TELEPHONE_EVENT_48K);
    }
    return sb.toString();
  }

  /** Our offer's rtpmap and fmtp lines, each ending in CRLF. */
  String offerAttributes() {
    StringBuilder sb = new StringBuilder();
    for (Codec c : codecs) {
      appendRtpmap(sb, offeredPayloadType(c), c);
    }
    appendTelephoneEvent(sb, LocalSdp.OUR_TELEPHONE_EVENT, 8000);
    if (offersOpus()) {
      appendTelephoneEvent(sb, OUR_TELEPHONE_EVENT_48K, 48000);
    }
    return sb.toString();
  }

  /** {@code a=rtpmap} for {@code c} at {@code payloadType}, and Opus's fmtp (RFC 7587 §7). */
  static void appendRtpmap(StringBuilder sb, int payloadType, Codec c) {
    sb.append("a=rtpmap:").append(payloadType).append(' ').append(c.rtpmap()).append("\r\n");
    if (c == Codec.OPUS) {
      // We decode and encode at 16 kHz (see Codec): say so, so the peer spends no bits above it.
      sb.append("a=fmtp:")
          .append(payloadType)
          .append(" maxplaybackrate=")
          .append(c.audioRate())
          .append(";sprop-maxcapturerate=")
          .append(c.audioRate())
          .append("\r\n");
    }
  }

  static void appendTelephoneEvent(StringBuilder sb, int payloadType, int clock) {
    sb.append("a=rtpmap:")
        .append(payloadType)
        .append(" telephone-event/")
        .append(clock)
        .append("\r\n");
    sb.append("a=fmtp:").append(payloadType).append(" 0-16\r\n");
  }

  /**
   * A codec and the payload type it has in one SDP.
   *
   * @param codec the codec
   * @param payloadType its payload type there
   */
  record Match(Codec codec, int payloadType) {}

  /** Answering: the first of our codecs that {@code m} offers, or null. */
  Match choose(MediaDescription m) {
    for (Codec c : codecs) {
      for (String f : m.formats()) {
        int pt = payloadType(f);
        if (pt >= 0 && matches(m, pt, c)) {
          return new Match(c, pt);
        }
      }
    }
    return null;
  }

  /** An answer to our offer: its first format that is one of our codecs, or null. */
  Match accepted(MediaDescription m) {
    for (String f : m.formats()) {
      int pt = payloadType(f);
      if (pt < 0) {
        continue;
      }
      for (Codec c : codecs) {
        if (matches(m, pt, c)) {
          return new Match(c, pt);
        }
      }
    }
    return null;
  }

  /** Whether format {@code pt} of {@code m} is {@code c}. */
  static boolean matches(MediaDescription m, int pt, Codec c) {
    String map = m.rtpmap().get(pt);
    if (map == null) {
      return pt == c.payloadType(); // a static type needs no rtpmap (RFC 4566 §6)
    }
    String[] parts = map.strip().split("/", -1);
    if (parts.length < 2 || !parts[0].strip().equalsIgnoreCase(c.encodingName())) {
      return false;
    }
    if (!parts[1].strip().equals(Integer.toString(c.rtpClockRate()))) {
      return false;
    }
    // Opus is always "/2" (RFC 7587 §7); G.711 and G.722 are mono, said or not.
    String channels = parts.length > 2 ? parts[2].strip() : "1";
    return c == Codec.OPUS ? channels.equals("2") : channels.equals("1");
  }

  /** The telephone-event payload type of {@code m} at {@code codec}'s clock rate, or -1. */
  static int telephoneEvent(MediaDescription m, Codec codec) {
    String wanted = "telephone-event/" + codec.rtpClockRate();
    for (String f : m.formats()) {
      int pt = payloadType(f);
      String map = pt < 0 ? null : m.rtpmap().get(pt);
      if (map != null && map.strip().toLowerCase(Locale.ROOT).startsWith(wanted)) {
        return pt;
      }
    }
    return MediaPlan.NO_TELEPHONE_EVENT;
  }

  private static int payloadType(String format) {
    try {
      int pt = Integer.parseInt(format);
      return pt >= 0 && pt <= 127 ? pt : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (Codec c : codecs) {
      names.add(c.encodingName().toLowerCase(Locale.ROOT));
    }
    return String.join(",", names);
  }
}

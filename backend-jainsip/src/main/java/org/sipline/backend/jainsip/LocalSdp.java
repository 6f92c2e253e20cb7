package org.sipline.backend.jainsip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.OpusParameters;
import org.sipline.backend.jainsip.media.srtp.SrtpKeys;
import org.sipline.backend.jainsip.media.srtp.SrtpSuite;
import org.sipline.core.spi.SrtpMode;

/**
 * Our side of one call's SDP offer/answer (RFC 3264): we offer our codecs ({@link CodecPreference},
 * {@code --codecs}) and telephone-event with 20 ms packets; we answer with the first of our codecs
 * the offer has, telephone-event at that codec's clock when offered, and every other stream refused
 * with port 0.
 *
 * <p>SRTP (SDES, RFC 4568) by {@link SrtpMode}: with {@code offer} or {@code require} our offers
 * are RTP/SAVP with one crypto line per suite (tag 1 for AES_CM_128_HMAC_SHA1_80, tag 2 for _32,
 * each its own key); an answer takes the first RTP/SAVP stream — or RTP/AVP stream with crypto
 * lines, "best effort" SRTP — with a crypto line we can use (an 80-bit one first), echoing its tag
 * with our own key in the offered profile. Our key for a suite is made once per call and kept
 * through re-INVITEs (RFC 4568 §7.1.4 lets the answerer keep its key; the far end's new key, if it
 * sends one, is taken).
 */
final class LocalSdp {
  /** Our telephone-event payload type in offers; in answers we take the offerer's. */
  static final int OUR_TELEPHONE_EVENT = 101;

  private final String address;
  private final int port;
  private final long sessionId;
  private final SrtpMode srtpMode;
  private final SecureRandom random;
  private final CodecPreference codecs;
  private final Map<SrtpSuite, SrtpKeys> ours = new EnumMap<>(SrtpSuite.class);
  private long version;
  private String last;

  /**
   * @param address our advertised address (c= and o=)
   * @param port our RTP port (m=)
   * @param sessionId o= session id, random per call
   */
  LocalSdp(String address, int port, long sessionId) {
    this(address, port, sessionId, SrtpMode.OFF, null);
  }

  /**
   * @param srtpMode whether we offer SRTP
   * @param random makes our SRTP keys; may be null with {@link SrtpMode#OFF}
   */
  LocalSdp(String address, int port, long sessionId, SrtpMode srtpMode, SecureRandom random) {
    this(address, port, sessionId, srtpMode, random, CodecPreference.G711);
  }

  /**
   * @param codecs what we offer, in order, and prefer when answering
   */
  LocalSdp(
      String address,
      int port,
      long sessionId,
      SrtpMode srtpMode,
      SecureRandom random,
      CodecPreference codecs) {
    this.codecs = codecs;
    this.address = address;
    this.port = port;
    this.sessionId = sessionId;
    this.srtpMode = srtpMode;
    this.random = random;
  }

  /** Our SRTP key for {@code suite}: made the first time it is needed, then kept. */
  private SrtpKeys keys(SrtpSuite suite) {
    return ours.computeIfAbsent(suite, s -> SrtpKeys.generate(s, random));
  }

  /** Our keys for what we send under {@code plan}, or null for plain RTP. */
  SrtpKeys sendKeys(MediaPlan plan) {
    return plan.srtp() == null ? null : keys(plan.srtp().keys().suite());
  }

  /** The tag of our crypto line for {@code suite} in offers: 1, 2, … in the suites' order. */
  static long offeredTag(SrtpSuite suite) {
    return switch (suite) {
      case AES_CM_128_HMAC_SHA1_80 -> 1;
      case AES_CM_128_HMAC_SHA1_32 -> 2;
    };
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
        .append(srtpMode == SrtpMode.OFF ? " RTP/AVP " : " RTP/SAVP ")
        .append(codecs.offerFormats())
        .append("\r\n");
    sb.append(codecs.offerAttributes());
    sb.append("a=ptime:20\r\n");
    sb.append("a=sendrecv\r\n");
    if (srtpMode != SrtpMode.OFF) {
      for (SrtpSuite suite : SrtpSuite.values()) {
        sb.append("a=crypto:")
            .append(new SdesCrypto(offeredTag(suite), keys(suite)).attribute())
            .append("\r\n");
      }
    }
    last = sb.toString();
    return last;
  }

  /**
   * The plan for answering {@code offer} with SRTP off, or null when it has no RTP audio stream
   * with PCMU or PCMA (answer 488 then).
   */
  static MediaPlan planFor(SessionDescription offer) {
    return planFor(offer, SrtpMode.OFF);
  }

  /**
   * The plan for answering {@code offer} under {@code mode}, or null when it has no RTP audio
   * stream with PCMU or PCMA (answer 488 then).
   *
   * @throws UnacceptableSdp when SRTP decides against it: a plain offer while SRTP is required, an
   *     RTP/SAVP-only offer while it is off, no crypto line sipline can take (488 with a Warning
   *     saying which)
   */
  static MediaPlan planFor(SessionDescription offer, SrtpMode mode) {
    return planFor(offer, mode, CodecPreference.G711);
  }

  /**
   * The plan for answering {@code offer} under {@code mode} with the first of {@code codecs} it
   * has, or null when its RTP audio streams have none of them (answer 488 then).
   *
   * @throws UnacceptableSdp as {@link #planFor(SessionDescription, SrtpMode)}
   */
  static MediaPlan planFor(SessionDescription offer, SrtpMode mode, CodecPreference codecs) {
    Choice choice = choose(offer, mode, codecs);
    return choice == null
        ? null
        : plan(offer, choice.media(), choice.crypto(), codecs.choose(choice.media()));
  }

  /** The stream of an offer we answer, and its crypto line when it is SRTP. */
  private record Choice(MediaDescription media, SdesCrypto crypto) {}

  private static Choice choose(SessionDescription offer, SrtpMode mode, CodecPreference codecs) {
    List<String> problems = new ArrayList<>();
    MediaDescription plain = null;
    boolean secure = false;
    for (MediaDescription m : offer.media()) {
      if (!m.isRtpAudio() || m.port() == 0 || codecs.choose(m) == null) {
        continue;
      }
      // Crypto lines on RTP/AVP are "best effort" SRTP (baresip's mediaenc=srtp, pjsip's
      // use_srtp=OPTIONAL): the offerer sends SRTP if the answer carries a crypto line, plain RTP
      // otherwise. RFC 4568 defines the attribute for RTP/SAVP only, but answering such a stream
      // in RTP/AVP with a crypto line is what those user agents do and expect; with SRTP on we
      // take it, which also satisfies require (the media is SRTP whatever the m= line's profile).
      if (mode != SrtpMode.OFF && (m.isSecure() || !m.crypto().isEmpty())) {
        SdesCrypto crypto = preferredUsable(m, problems);
        if (crypto != null) {
          return new Choice(m, crypto);
        }
      }
      if (!m.isSecure()) {
        plain = plain == null ? m : plain;
        continue;
      }
      secure = true;
    }
    if (plain != null && mode != SrtpMode.REQUIRE) {
      // Best effort: an RTP/AVP offer whose crypto lines we cannot use is still a plain offer.
      return new Choice(plain, null);
    }
    if (secure && mode == SrtpMode.OFF) {
      throw new UnacceptableSdp(
          UnacceptableSdp.INCOMPATIBLE_TRANSPORT,
          "the audio is offered as RTP/SAVP only and SRTP is off (--srtp off)");
    }
    if (secure) {
      throw new UnacceptableSdp(
          UnacceptableSdp.ATTRIBUTE_NOT_UNDERSTOOD,
          "SRTP: no usable crypto line ("
              + (problems.isEmpty() ? "none given" : String.join("; ", problems))
              + ")");
    }
    if (plain != null) {
      throw new UnacceptableSdp(
          UnacceptableSdp.INCOMPATIBLE_TRANSPORT,
          "SRTP is required (--srtp require) and the audio is offered as plain RTP/AVP"
              + (problems.isEmpty()
                  ? ""
                  : " (no usable crypto line: " + String.join("; ", problems) + ")"));
    }
    return null;
  }

  /**
   * The crypto line of {@code m} we answer: the first with an 80-bit tag, else the first sipline
   * can take; why each unusable one was not, in problems. The 80-bit suite first because its tag is
   * the stronger, and because libre (baresip) tags SRTCP under AES_CM_128_HMAC_SHA1_32 with 32 bits
   * where RFC 4568 §6.2.2 says 80, so no SRTCP would pass between us under _32 (FACTS.md).
   */
  private static SdesCrypto preferredUsable(MediaDescription m, List<String> problems) {
    SdesCrypto first = null;
    for (String line : m.crypto()) {
      try {
        SdesCrypto crypto = SdesCrypto.parse(line);
        if (crypto.keys().suite() == SrtpSuite.AES_CM_128_HMAC_SHA1_80) {
          return crypto;
        }
        first = first == null ? crypto : first;
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return first;
  }

  /** Our answer to {@code offer}, agreeing to {@code plan} (from {@link #planFor}). */
  // Identity on purpose: two m= lines may be equal, and only the chosen one is accepted.
  @SuppressWarnings("ReferenceEquality")
  String answer(SessionDescription offer, MediaPlan plan) {
    Choice choice = choose(offer, srtpMode, codecs);
    MediaDescription chosen = choice == null ? null : choice.media();
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
      CodecPreference.appendRtpmap(sb, plan.payloadType(), plan.codec());
      if (plan.telephoneEvent() >= 0) {
        CodecPreference.appendTelephoneEvent(
            sb, plan.telephoneEvent(), plan.codec().rtpClockRate());
      }
      sb.append("a=ptime:20\r\n");
      sb.append("a=").append(answerDirection(m.direction())).append("\r\n");
      if (plan.srtp() != null) {
        // RFC 4568 §6.1: the offer's tag and suite, with the key we send with.
        SrtpKeys key = keys(plan.srtp().keys().suite());
        sb.append("a=crypto:")
            .append(new SdesCrypto(plan.srtp().tag(), key).attribute())
            .append("\r\n");
      }
    }
    last = sb.toString();
    return last;
  }

  /** The plan in the peer's answer to our plain offer (SRTP off); see the two-argument one. */
  static MediaPlan planFromAnswer(SessionDescription answer) {
    return planFromAnswer(answer, SrtpMode.OFF);
  }

  /**
   * The plan in the peer's answer to our offer made under {@code mode}, or null when it accepted no
   * PCMU or PCMA audio.
   *
   * @throws IllegalArgumentException naming why SRTP makes the answer unusable: plain while SRTP is
   *     required, RTP/SAVP to our plain offer, or no crypto line matching one we offered
   */
  static MediaPlan planFromAnswer(SessionDescription answer, SrtpMode mode) {
    return planFromAnswer(answer, mode, CodecPreference.G711);
  }

  /**
   * The plan in the peer's answer to our offer of {@code codecs} made under {@code mode}, or null
   * when it accepted none of them.
   *
   * @throws IllegalArgumentException as {@link #planFromAnswer(SessionDescription, SrtpMode)}
   */
  static MediaPlan planFromAnswer(
      SessionDescription answer, SrtpMode mode, CodecPreference codecs) {
    MediaDescription audio = chosenAudio(answer, codecs);
    if (audio == null) {
      return null;
    }
    if (!audio.isSecure()) {
      if (mode == SrtpMode.REQUIRE) {
        throw new IllegalArgumentException(
            "SRTP is required (--srtp require) and the answer is plain " + audio.proto());
      }
      return plan(answer, audio, null, codecs.accepted(audio));
    }
    if (mode == SrtpMode.OFF) {
      throw new IllegalArgumentException(
          "the answer is " + audio.proto() + " to our plain RTP/AVP offer (SRTP is off)");
    }
    List<String> problems = new ArrayList<>();
    for (String line : audio.crypto()) {
      try {
        SdesCrypto crypto = SdesCrypto.parse(line);
        if (crypto.tag() != offeredTag(crypto.keys().suite())) {
          throw new IllegalArgumentException(
              "crypto tag " + crypto.tag() + " is not ours for " + crypto.keys().suite());
        }
        return plan(answer, audio, crypto, codecs.accepted(audio));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    throw new IllegalArgumentException(
        "SRTP: the answer has no usable crypto line ("
            + (problems.isEmpty() ? "none given" : String.join("; ", problems))
            + ")");
  }

  /** The first RTP audio stream, not refused, that carries one of {@code codecs}. */
  private static MediaDescription chosenAudio(SessionDescription sdp, CodecPreference codecs) {
    for (MediaDescription m : sdp.media()) {
      if (m.isRtpAudio() && m.port() != 0 && codecs.accepted(m) != null) {
        return m;
      }
    }
    return null;
  }

  private static MediaPlan plan(
      SessionDescription sdp, MediaDescription m, SdesCrypto crypto, CodecPreference.Match codec) {
    String connection = sdp.connectionOf(m);
    boolean legacyHold = connection != null && LiteralAddress.parse(connection).isAnyLocalAddress();
    return new MediaPlan(
        remote(connection, m.port()),
        codec.payloadType(),
        CodecPreference.telephoneEvent(m, codec.codec()),
        legacyHold ? "inactive" : m.direction(),
        crypto,
        codec.codec(),
        codec.codec() == Codec.OPUS
            ? OpusParameters.parse(m.fmtp().get(codec.payloadType()))
            : OpusParameters.DEFAULTS);
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

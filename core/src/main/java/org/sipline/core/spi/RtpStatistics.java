package org.sipline.core.spi;

import java.util.Objects;

/**
 * One call's RTP and RTCP figures at a moment: what we sent and received, how the stream we receive
 * arrived (measured here), how the stream we send arrived at the far end (its RTCP reports), and
 * the round-trip time from RTCP's LSR/DLSR (RFC 3550 §6.4.1). Immutable; {@link
 * SipCall#rtpStatistics()} returns a fresh one each time, the final figures once the call ended.
 *
 * @param packetsSent RTP packets we handed to the socket, telephone events included
 * @param octetsSent their payload octets (RFC 3550's "sender's octet count": headers not counted)
 * @param packetsReceived RTP packets of the negotiated payload types accepted from the far end
 * @param octetsReceived their payload octets
 * @param inbound our view of the stream we receive: loss and jitter measured on arrival
 * @param outbound the far end's view of the stream we send, from its latest RTCP report block about
 *     our SSRC; {@link ReceptionReport#NONE} when none came
 * @param farEndPacketsSent the packet count of the far end's latest sender report, or -1 when no SR
 *     came
 * @param farEndOctetsSent the octet count of that sender report, or -1
 * @param roundTripMillis the latest round-trip time from a report block's LSR/DLSR, or -1 when not
 *     known (no report about our SR came)
 * @param rtcpSent RTCP compound packets we sent
 * @param rtcpReceived RTCP compound packets from the far end taken
 * @param rtcpDropped RTCP datagrams dropped: malformed, or from anyone but the far end
 * @param srtp SRTP and SRTCP packets refused (authentication, replay, window); {@link
 *     SrtpRefusals#NONE} for plain RTP
 */
public record RtpStatistics(
    long packetsSent,
    long octetsSent,
    long packetsReceived,
    long octetsReceived,
    ReceptionReport inbound,
    ReceptionReport outbound,
    long farEndPacketsSent,
    long farEndOctetsSent,
    double roundTripMillis,
    long rtcpSent,
    long rtcpReceived,
    long rtcpDropped,
    SrtpRefusals srtp) {

  /** No media ran (the call never connected, or the backend cannot tell). */
  public static final RtpStatistics NONE =
      new RtpStatistics(
          0, 0, 0, 0, ReceptionReport.NONE, ReceptionReport.NONE, -1, -1, -1, 0, 0, 0);

  /**
   * The figures of a call without SRTP refusals (plain RTP, or a backend that does not count them).
   *
   * @param packetsSent RTP packets we handed to the socket, telephone events included
   * @param octetsSent their payload octets
   * @param packetsReceived RTP packets of the negotiated payload types accepted from the far end
   * @param octetsReceived their payload octets
   * @param inbound our view of the stream we receive
   * @param outbound the far end's view of the stream we send, or {@link ReceptionReport#NONE}
   * @param farEndPacketsSent the packet count of the far end's latest sender report, or -1
   * @param farEndOctetsSent the octet count of that sender report, or -1
   * @param roundTripMillis the latest round-trip time, or -1 when not known
   * @param rtcpSent RTCP compound packets we sent
   * @param rtcpReceived RTCP compound packets from the far end taken
   * @param rtcpDropped RTCP datagrams dropped
   */
  public RtpStatistics(
      long packetsSent,
      long octetsSent,
      long packetsReceived,
      long octetsReceived,
      ReceptionReport inbound,
      ReceptionReport outbound,
      long farEndPacketsSent,
      long farEndOctetsSent,
      double roundTripMillis,
      long rtcpSent,
      long rtcpReceived,
      long rtcpDropped) {
    this(
        packetsSent,
        octetsSent,
        packetsReceived,
        octetsReceived,
        inbound,
        outbound,
        farEndPacketsSent,
        farEndOctetsSent,
        roundTripMillis,
        rtcpSent,
        rtcpReceived,
        rtcpDropped,
        SrtpRefusals.NONE);
  }

  /**
   * Checks the figures: counters not negative, a round-trip time measured or -1.
   *
   * @param packetsSent RTP packets we handed to the socket, telephone events included
   * @param octetsSent their payload octets (RFC 3550's "sender's octet count": headers not counted)
   * @param packetsReceived RTP packets of the negotiated payload types accepted from the far end
   * @param octetsReceived their payload octets
   * @param inbound our view of the stream we receive: loss and jitter measured on arrival
   * @param outbound the far end's view of the stream we send, from its latest RTCP report block
   *     about our SSRC; {@link ReceptionReport#NONE} when none came
   * @param farEndPacketsSent the packet count of the far end's latest sender report, or -1 when no
   *     SR came
   * @param farEndOctetsSent the octet count of that sender report, or -1
   * @param roundTripMillis the latest round-trip time from a report block's LSR/DLSR, or -1 when
   *     not known (no report about our SR came)
   * @param rtcpSent RTCP compound packets we sent
   * @param rtcpReceived RTCP compound packets from the far end taken
   * @param rtcpDropped RTCP datagrams dropped: malformed, or from anyone but the far end
   * @param srtp SRTP and SRTCP packets refused; {@link SrtpRefusals#NONE} for plain RTP
   */
  public RtpStatistics {
    Objects.requireNonNull(inbound, "inbound");
    Objects.requireNonNull(outbound, "outbound");
    Objects.requireNonNull(srtp, "srtp");
    if (packetsSent < 0 || octetsSent < 0 || packetsReceived < 0 || octetsReceived < 0) {
      throw new IllegalArgumentException(
          "negative RTP counter: sent "
              + packetsSent
              + "/"
              + octetsSent
              + ", received "
              + packetsReceived
              + "/"
              + octetsReceived);
    }
    if (rtcpSent < 0 || rtcpReceived < 0 || rtcpDropped < 0) {
      throw new IllegalArgumentException(
          "negative RTCP counter: " + rtcpSent + "/" + rtcpReceived + "/" + rtcpDropped);
    }
    if (!(roundTripMillis >= 0 || roundTripMillis == -1)) {
      throw new IllegalArgumentException("roundTripMillis neither >= 0 nor -1: " + roundTripMillis);
    }
  }

  /**
   * Whether a round-trip time was measured.
   *
   * @return true when {@code roundTripMillis} holds a measurement
   */
  public boolean hasRoundTrip() {
    return roundTripMillis >= 0;
  }
}

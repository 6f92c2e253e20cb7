package org.sipline.backend.jainsip.media.srtp;

/**
 * Our side's SRTP and SRTCP (RFC 3711 §3.1, §3.4): encrypts a packet in place and appends its tag.
 * RTP and RTCP keep separate keys and buffers, so one thread may protect RTP (the pacer) while
 * another protects RTCP (the report timer); each of the two by one thread at a time.
 */
public final class SrtpProtector {
  private final SrtpSuite suite;
  private final SessionCrypto rtp;
  private final SessionCrypto rtcp;

  private boolean rtpStarted;
  private long rtpSsrc;
  private long rtpIndex;

  private long rtcpSsrc = -1;
  private long rtcpIndex;

  /**
   * Derives the session keys of {@code keys} and makes the ciphers and buffers for them.
   *
   * @param keys the master key, salt and suite
   * @param maxPacket the longest plain packet (RTP or RTCP) to be protected
   */
  public SrtpProtector(SrtpKeys keys, int maxPacket) {
    this.suite = keys.suite();
    this.rtp = new SessionCrypto(keys, false, maxPacket);
    this.rtcp = new SessionCrypto(keys, true, maxPacket);
  }

  /**
   * The suite of the keys.
   *
   * @return the suite
   */
  public SrtpSuite suite() {
    return suite;
  }

  /**
   * Protects the RTP packet {@code packet[0, length)}: its payload encrypted, the tag appended.
   *
   * @param packet the buffer holding the packet, with room for what is appended
   * @param length the plain packet's length
   * @return the protected length, {@code length} + the suite's tag length
   * @throws IllegalArgumentException when it is no RTP packet or there is no room for the tag (our
   *     own packet: a bug, not input)
   */
  public int protectRtp(byte[] packet, int length) {
    int header = RtpHeaders.rtpHeaderLength(packet, length);
    if (header < 0) {
      throw new IllegalArgumentException("not an RTP packet: " + length + " bytes");
    }
    int tagLength = suite.rtpTagLength();
    if (length + tagLength > packet.length) {
      throw new IllegalArgumentException(
          "no room for the SRTP tag: " + length + " + " + tagLength + " > " + packet.length);
    }
    long ssrc = RtpHeaders.word(packet, 8);
    int sequence = RtpHeaders.sequenceNumber(packet);
    long index;
    if (!rtpStarted || ssrc != rtpSsrc) {
      // A new SSRC is a new stream with its own rollover counter (§3.2.1's context per SSRC).
      rtpStarted = true;
      rtpSsrc = ssrc;
      index = sequence;
      rtpIndex = index;
    } else {
      // Our own sequence numbers only go forward, so the estimate is the next index exactly, and
      // the receiver's estimate the same (Appendix A); -1 (before the first roll) cannot happen.
      index = Math.max(0, RtpHeaders.estimateIndex(rtpIndex, sequence));
      rtpIndex = Math.max(rtpIndex, index);
    }
    rtp.crypt(ssrc, index, packet, header, length - header);
    rtp.sign(packet, 0, length, index >>> 16, tagLength, length);
    return length + tagLength;
  }

  /**
   * Protects the compound RTCP packet {@code packet[0, length)}: all but its first 8 bytes
   * encrypted, then the E flag with the SRTCP index and the tag appended.
   *
   * @param packet the buffer holding the packet, with room for what is appended
   * @param length the plain packet's length
   * @return the protected length, {@code length} + {@link SrtpSuite#RTCP_OVERHEAD}
   * @throws IllegalArgumentException when it is shorter than an RTCP header or there is no room
   */
  public int protectRtcp(byte[] packet, int length) {
    if (length < RtpHeaders.RTCP_CLEAR) {
      throw new IllegalArgumentException("not an RTCP packet: " + length + " bytes");
    }
    if (length + SrtpSuite.RTCP_OVERHEAD > packet.length) {
      throw new IllegalArgumentException(
          "no room for the SRTCP trailer: "
              + length
              + " + "
              + SrtpSuite.RTCP_OVERHEAD
              + " > "
              + packet.length);
    }
    long ssrc = RtpHeaders.word(packet, 4);
    if (ssrc != rtcpSsrc) {
      rtcpSsrc = ssrc;
      rtcpIndex = 0;
    }
    long index = rtcpIndex;
    // 31 bits; 2^31 reports is some 300 years at one a second.
    rtcpIndex = (rtcpIndex + 1) & 0x7FFF_FFFFL;
    rtcp.crypt(ssrc, index, packet, RtpHeaders.RTCP_CLEAR, length - RtpHeaders.RTCP_CLEAR);
    RtpHeaders.putWord(packet, length, 0x8000_0000L | index);
    int signed = length + 4;
    rtcp.sign(packet, 0, signed, -1, SrtpSuite.RTCP_TAG_LENGTH, signed);
    return signed + SrtpSuite.RTCP_TAG_LENGTH;
  }
}

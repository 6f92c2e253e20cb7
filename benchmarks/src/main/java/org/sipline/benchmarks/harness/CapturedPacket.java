package org.sipline.benchmarks.harness;

/**
 * One RTP packet as the capture saw it on the loopback interface.
 *
 * @param epochNanos when it passed the interface, nanoseconds since 1970 (the kernel's stamp when
 *     captured by tshark)
 * @param srcPort the sender's UDP port: one stream per source port and SSRC
 * @param dstPort the receiver's UDP port, which tells sipline's streams from baresip's
 * @param ssrc the RTP synchronisation source
 * @param sequence the RTP sequence number, 0..65535
 * @param timestamp the RTP timestamp, 0..2^32-1
 * @param payloadType the RTP payload type, 0..127, or -1 when the capture did not record it
 * @param udpLength the UDP payload's length in bytes (RTP header, payload and, with SRTP, the
 *     authentication tag), or -1 when the capture did not record it
 */
public record CapturedPacket(
    long epochNanos,
    int srcPort,
    int dstPort,
    long ssrc,
    int sequence,
    long timestamp,
    int payloadType,
    int udpLength) {

  /** A packet whose payload type and length were not recorded. */
  public CapturedPacket(
      long epochNanos, int srcPort, int dstPort, long ssrc, int sequence, long timestamp) {
    this(epochNanos, srcPort, dstPort, ssrc, sequence, timestamp, -1, -1);
  }
}

package org.sipline.benchmarks.media;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.sipline.benchmarks.harness.CapturedPacket;
import org.sipline.benchmarks.harness.TsharkCapture;
import org.sipline.benchmarks.harness.TsharkFields;

/**
 * The run's RTP as the capture on {@code lo} saw it, both ways through the caller's socket: what
 * the caller sent to sipline ({@link In}) and what sipline sent the caller ({@link Out}, with its
 * payload), each with the kernel's timestamp; and, from a second capture, the gRPC connection's TCP
 * segments.
 */
final class MediaWire {
  /** A packet the caller sent to sipline's RTP port. */
  record In(long nanos, int sequence, long timestamp, int payloadType) {}

  /** A packet sipline sent the caller, its PCMU payload included. */
  // Packets are analysed, never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Out(
      long nanos,
      int srcPort,
      int dstPort,
      long ssrc,
      int sequence,
      long timestamp,
      byte[] payload) {
    /** Whether µ-law byte {@code i} is silence (0xFF or 0x7F, the two codes for zero). */
    boolean silentAt(int i) {
      int b = payload[i] & 0xFF;
      return b == 0xFF || b == 0x7F;
    }

    /** Whether any sample is silence. */
    boolean anySilence() {
      for (int i = 0; i < payload.length; i++) {
        if (silentAt(i)) {
          return true;
        }
      }
      return false;
    }

    /** Whether any sample is not silence. */
    boolean anyAudio() {
      for (int i = 0; i < payload.length; i++) {
        if (!silentAt(i)) {
          return true;
        }
      }
      return false;
    }

    CapturedPacket asCaptured() {
      return new CapturedPacket(nanos, srcPort, dstPort, ssrc, sequence, timestamp);
    }
  }

  /** A TCP segment: when, its ports, payload bytes, IP length, and the HTTP/2 frame types in it. */
  record Segment(long nanos, int srcPort, int dstPort, int length, int ipLength, String types) {
    /** Whether it carries an HTTP/2 DATA (0) or HEADERS (1) frame: a request's message. */
    boolean carriesRequest() {
      for (String t : types.split(",")) {
        if (t.equals("0") || t.equals("1")) {
          return true;
        }
      }
      return false;
    }
  }

  private MediaWire() {}

  /**
   * Reads the RTP capture: packets from {@code callerPort} to sipline as {@link In}, packets to it
   * as {@link Out}; each list in capture order.
   */
  static void readRtp(TsharkCapture capture, int callerPort, List<In> in, List<Out> out)
      throws IOException {
    HexFormat hex = HexFormat.of();
    for (String[] row :
        capture.fields(
            List.of("udp.port==" + callerPort + ",rtp"),
            List.of(
                "frame.time_epoch",
                "udp.srcport",
                "udp.dstport",
                "rtp.ssrc",
                "rtp.seq",
                "rtp.timestamp",
                "rtp.p_type",
                "rtp.payload"))) {
      if (row[4].isEmpty()) {
        continue; // not RTP
      }
      long at = TsharkFields.epochNanos(row[0]);
      int src = Integer.parseInt(row[1]);
      int dst = Integer.parseInt(row[2]);
      int seq = Integer.parseInt(row[4]);
      long ts = Long.parseLong(row[5]);
      int pt = Integer.parseInt(row[6]);
      if (src == callerPort) {
        in.add(new In(at, seq, ts, pt));
      } else if (dst == callerPort && pt == 0 && !row[7].isEmpty()) {
        out.add(
            new Out(
                at, src, dst, Long.decode(row[3]), seq, ts, hex.parseHex(row[7].replace(":", ""))));
      }
    }
  }

  /**
   * Reads a TCP capture of the gRPC port; {@code http2} decodes the port as HTTP/2 so that each
   * segment's frame types are known (needs whole segments).
   */
  static List<Segment> readTcp(TsharkCapture capture, int grpcPort, boolean http2)
      throws IOException {
    List<Segment> segments = new ArrayList<>();
    for (String[] row :
        capture.fields(
            http2 ? List.of("tcp.port==" + grpcPort + ",http2") : List.of(),
            List.of(),
            List.of(
                "frame.time_epoch",
                "tcp.srcport",
                "tcp.dstport",
                "tcp.len",
                "ip.len",
                "http2.type"),
            "a")) {
      if (row[1].isEmpty()) {
        continue;
      }
      segments.add(
          new Segment(
              TsharkFields.epochNanos(row[0]),
              Integer.parseInt(row[1]),
              Integer.parseInt(row[2]),
              Integer.parseInt(row[3]),
              row[4].isEmpty() ? 0 : Integer.parseInt(row[4].split(",")[0]),
              row[5]));
    }
    return segments;
  }
}

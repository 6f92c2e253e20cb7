package org.sipline.benchmarks.latency;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.sipline.benchmarks.harness.TsharkCapture;
import org.sipline.benchmarks.harness.TsharkFields;

/**
 * What the server put on the wire, from the capture on {@code lo}: the INVITEs it sent the callee
 * and the RTP packets it sent the sink, each with the kernel's timestamp.
 */
final class WireEvents {
  /** An INVITE: when, and its Call-ID (retransmissions and re-INVITEs repeat it). */
  record Invite(long epochNanos, String callId) {}

  /** An RTP packet: when, and whether its PCMU payload is all silence. */
  record Rtp(long epochNanos, boolean silent) {}

  private final List<Invite> invites;
  private final List<Rtp> rtp;
  private final List<Long> grpcSegments;

  private WireEvents(List<Invite> invites, List<Rtp> rtp, List<Long> grpcSegments) {
    this.invites = invites;
    this.rtp = rtp;
    this.grpcSegments = grpcSegments;
  }

  /**
   * The INVITEs to the callee, the RTP to the sink and, when the capture took the gRPC port's TCP
   * too, the times of the segments carrying data to the server (a request reaching it).
   */
  static WireEvents read(TsharkCapture capture, int sinkPort, int calleePort, int grpcPort)
      throws IOException {
    List<Invite> invites = new ArrayList<>();
    List<Rtp> rtp = new ArrayList<>();
    List<Long> segments = new ArrayList<>();
    for (String[] row :
        capture.fields(
            List.of("udp.port==" + sinkPort + ",rtp", "udp.port==" + calleePort + ",sip"),
            List.of(
                "frame.time_epoch",
                "udp.dstport",
                "sip.Method",
                "sip.Call-ID",
                "rtp.payload",
                "tcp.dstport",
                "tcp.len"))) {
      long at = TsharkFields.epochNanos(row[0]);
      if (row[1].isEmpty()) {
        if (!row[5].isEmpty()
            && Integer.parseInt(row[5]) == grpcPort
            && !row[6].isEmpty()
            && Integer.parseInt(row[6]) > 0) {
          segments.add(at);
        }
        continue;
      }
      int port = Integer.parseInt(row[1]);
      if (port == calleePort && row[2].equals("INVITE")) {
        invites.add(new Invite(at, row[3]));
      } else if (port == sinkPort && !row[4].isEmpty()) {
        rtp.add(new Rtp(at, silentPcmu(row[4])));
      }
    }
    return new WireEvents(invites, rtp, segments);
  }

  /**
   * Whether a PCMU payload, as tshark's hex, is silence: every byte 0xFF or 0x7F (µ-law's two codes
   * for zero).
   */
  static boolean silentPcmu(String hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("odd-length hex payload: " + hex.length() + " digits");
    }
    for (int i = 0; i < hex.length(); i += 2) {
      int b = Integer.parseInt(hex, i, i + 2, 16);
      if (b != 0xFF && b != 0x7F) {
        return false;
      }
    }
    return true;
  }

  List<Invite> invites() {
    return invites;
  }

  List<Rtp> rtp() {
    return rtp;
  }

  /** Capture times of the TCP segments that carried data to the gRPC server, in order. */
  List<Long> grpcSegments() {
    return grpcSegments;
  }
}

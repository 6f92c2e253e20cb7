package org.sipline.benchmarks.latency;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
   * too, the times of the segments carrying data to the server (a request reaching it) — read once
   * the capture file holds an INVITE of every Call-ID in {@code sentCallIds} (or {@code within} has
   * passed: then the unmatched counts say what is missing). Stopping tshark the moment the last
   * call ended lost the last 3–32 INVITEs of a run, still in its buffers.
   */
  static WireEvents read(
      TsharkCapture capture,
      int sinkPort,
      int calleePort,
      int grpcPort,
      Collection<String> sentCallIds,
      Duration within)
      throws IOException, InterruptedException {
    List<String> decodeAs =
        List.of("udp.port==" + sinkPort + ",rtp", "udp.port==" + calleePort + ",sip");
    Set<String> wanted = Set.copyOf(sentCallIds);
    List<String[]> rows =
        capture.fieldsOnceWritten(
            decodeAs,
            FIELDS,
            written -> inviteCallIds(written, calleePort).containsAll(wanted),
            within);
    Set<String> seen = inviteCallIds(rows, calleePort);
    long missing = wanted.stream().filter(id -> !seen.contains(id)).count();
    if (missing > 0) {
      System.err.printf(
          "%d of the %d INVITE Call-IDs sent are not in the capture after %s%n",
          missing, wanted.size(), within);
    }
    return parse(rows, sinkPort, calleePort, grpcPort);
  }

  private static final List<String> FIELDS =
      List.of(
          "frame.time_epoch",
          "udp.dstport",
          "sip.Method",
          "sip.Call-ID",
          "rtp.payload",
          "tcp.dstport",
          "tcp.len");

  /** The Call-IDs of the INVITEs to the callee among {@code rows}. */
  private static Set<String> inviteCallIds(List<String[]> rows, int calleePort) {
    Set<String> ids = new HashSet<>();
    String port = Integer.toString(calleePort);
    for (String[] row : rows) {
      if (row[1].equals(port) && row[2].equals("INVITE")) {
        ids.add(row[3]);
      }
    }
    return ids;
  }

  private static WireEvents parse(List<String[]> rows, int sinkPort, int calleePort, int grpcPort) {
    List<Invite> invites = new ArrayList<>();
    List<Rtp> rtp = new ArrayList<>();
    List<Long> segments = new ArrayList<>();
    for (String[] row : rows) {
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

package org.sipline.benchmarks.latency;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Pairs each request with the first wire event it caused, and returns the delays: request time
 * (taken just before the RPC was sent) to the kernel timestamp of that event. A request whose event
 * never showed up gets -1.
 */
final class Matching {
  private Matching() {}

  /**
   * The first INVITE with a Call-ID not seen before, at or after each request (a request time of
   * -1, unknown, gives -1).
   */
  static long[] invites(long[] requests, List<WireEvents.Invite> invites) {
    long[] delays = new long[requests.length];
    Set<String> used = new HashSet<>();
    int from = 0;
    for (int i = 0; i < requests.length; i++) {
      delays[i] = -1;
      if (requests[i] < 0) {
        continue;
      }
      for (int j = from; j < invites.size(); j++) {
        WireEvents.Invite inv = invites.get(j);
        if (inv.epochNanos() >= requests[i] && !used.contains(inv.callId())) {
          used.add(inv.callId());
          delays[i] = inv.epochNanos() - requests[i];
          from = j + 1;
          break;
        }
      }
    }
    return delays;
  }

  /**
   * When each request reached the server: the first data-carrying segment to its gRPC port at or
   * after the request was sent (-1 when none came). Segments the client sends on its own (a
   * WINDOW_UPDATE, a ping) can only come first and make the time earlier, never later.
   */
  static long[] arrivals(long[] requests, List<Long> segments) {
    long[] at = new long[requests.length];
    int from = 0;
    for (int i = 0; i < requests.length; i++) {
      while (from < segments.size() && segments.get(from) < requests[i]) {
        from++;
      }
      at[i] = from < segments.size() ? segments.get(from) : -1;
    }
    return at;
  }

  /**
   * The first RTP packet matching {@code wanted} at or after each request (a request time of -1,
   * unknown, gives -1).
   */
  static long[] rtp(
      long[] requests, List<WireEvents.Rtp> packets, Predicate<WireEvents.Rtp> wanted) {
    long[] delays = new long[requests.length];
    int from = 0;
    for (int i = 0; i < requests.length; i++) {
      delays[i] = -1;
      if (requests[i] < 0) {
        continue;
      }
      while (from < packets.size() && packets.get(from).epochNanos() < requests[i]) {
        from++;
      }
      for (int j = from; j < packets.size(); j++) {
        if (wanted.test(packets.get(j))) {
          delays[i] = packets.get(j).epochNanos() - requests[i];
          break;
        }
      }
    }
    return delays;
  }
}

package org.sipline.benchmarks.media;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs what a client sent or received with the packets that caused it or that it caused, on the
 * capture's timestamps. Every function returns delays in nanoseconds, -1 where no partner was
 * found.
 *
 * <p>The call's two timelines: sipline labels caller audio with positions counted from where its
 * timeline stood when the caller's first packet came, and runs on with the RTP clock (missing
 * samples included), so a position maps to the caller's RTP timestamp by one offset. Its own
 * packets carry the timeline position of their first sample in their RTP timestamp, offset by the
 * first packet's (position 0: the pacer reads one frame per tick from the call's start, skipped
 * ticks advance both).
 */
final class MediaMatching {
  static final int FRAME = 160;
  private static final long WRAP = 0xFFFF_FFFFL;

  private MediaMatching() {}

  /**
   * Caller → bot: for each AudioIn, the caller's packet at its position, and the delay from that
   * packet's capture to the event's arrival. Events whose packet lies outside {@code [from, to)}
   * are left out; events received in the window with no packet at all count as unmatched (-1).
   *
   * @param anchorPosition the position of the first AudioIn of the call
   * @param anchorTimestamp the RTP timestamp of the caller's first audio packet
   */
  static long[] inbound(
      long[] positions,
      long[] received,
      long anchorPosition,
      long anchorTimestamp,
      Map<Long, Long> captureByTimestamp,
      long from,
      long to) {
    long[] delays = new long[positions.length];
    int n = 0;
    for (int i = 0; i < positions.length; i++) {
      long ts = (anchorTimestamp + (positions[i] - anchorPosition)) & WRAP;
      Long at = captureByTimestamp.get(ts);
      if (at == null) {
        if (received[i] >= from && received[i] < to) {
          delays[n++] = -1;
        }
      } else if (at >= from && at < to) {
        delays[n++] = received[i] - at;
      }
    }
    return java.util.Arrays.copyOf(delays, n);
  }

  /**
   * The server's share of {@link #inbound}'s delays: from the caller's packet to the last TCP
   * segment the server sent on the stream's connection before the client had the event (the segment
   * that carried it, when the connection carries nothing else). -1 where no segment lies between
   * the two.
   *
   * @param segments capture times of the server's data segments on the connection, in order
   */
  static long[] inboundToWire(
      long[] positions,
      long[] received,
      long anchorPosition,
      long anchorTimestamp,
      Map<Long, Long> captureByTimestamp,
      long[] segments,
      long from,
      long to) {
    long[] delays = new long[positions.length];
    int n = 0;
    for (int i = 0; i < positions.length; i++) {
      long ts = (anchorTimestamp + (positions[i] - anchorPosition)) & WRAP;
      Long at = captureByTimestamp.get(ts);
      if (at == null || at < from || at >= to) {
        continue;
      }
      delays[n++] = lastBefore(segments, received[i], at);
    }
    return java.util.Arrays.copyOf(delays, n);
  }

  /**
   * The time from {@code cause} to the last of {@code segments} at or before {@code received}, or
   * -1 when that segment went before the cause (then it cannot have carried the event).
   */
  static long lastBefore(long[] segments, long received, long cause) {
    int k = java.util.Arrays.binarySearch(segments, received);
    int last = k >= 0 ? k : -k - 2;
    return last >= 0 && segments[last] >= cause ? segments[last] - cause : -1;
  }

  /** The caller's audio packets (payload type 0) by RTP timestamp: their capture times. */
  static Map<Long, Long> audioByTimestamp(List<MediaWire.In> in) {
    Map<Long, Long> m = new HashMap<>();
    for (MediaWire.In p : in) {
      if (p.payloadType() == 0) {
        m.putIfAbsent(p.timestamp(), p.nanos());
      }
    }
    return m;
  }

  /** The caller's packets by sequence number (the latest use of a number wins; runs are short). */
  static Map<Integer, MediaWire.In> bySequence(List<MediaWire.In> in) {
    Map<Integer, MediaWire.In> m = new HashMap<>();
    for (MediaWire.In p : in) {
      m.put(p.sequence(), p);
    }
    return m;
  }

  /**
   * Bot → caller: for each request sent at {@code sent[i]}, the first of sipline's packets at or
   * after it that carries any audio (a sample that is not silence).
   */
  static long[] firstAudio(long[] sent, List<MediaWire.Out> out) {
    long[] delays = new long[sent.length];
    int from = 0;
    for (int i = 0; i < sent.length; i++) {
      delays[i] = -1;
      while (from < out.size() && out.get(from).nanos() < sent[i]) {
        from++;
      }
      for (int j = from; j < out.size(); j++) {
        if (out.get(j).anyAudio()) {
          delays[i] = out.get(j).nanos() - sent[i];
          break;
        }
      }
    }
    return delays;
  }

  /**
   * A clear while audio without any silent sample plays: for each request, the first packet at or
   * after it with a silent sample (the clear's frame: the fade, then silence) when {@code
   * allSilent} is false, or the first packet that is silence throughout when it is true. A request
   * sent while the packet before it already held silence (nothing was playing) gets -1.
   */
  static long[] clearEffect(long[] sent, List<MediaWire.Out> out, boolean allSilent) {
    long[] delays = new long[sent.length];
    int from = 0;
    for (int i = 0; i < sent.length; i++) {
      delays[i] = -1;
      while (from < out.size() && out.get(from).nanos() < sent[i]) {
        from++;
      }
      if (from == 0 || out.get(from - 1).anySilence()) {
        continue; // nothing (or not only audio) was playing when it was sent
      }
      for (int j = from; j < out.size(); j++) {
        MediaWire.Out p = out.get(j);
        if (allSilent ? !p.anyAudio() : p.anySilence()) {
          delays[i] = p.nanos() - sent[i];
          break;
        }
      }
    }
    return delays;
  }

  /** sipline's packets by timeline position of their first sample (see the class comment). */
  static Map<Long, MediaWire.Out> byPosition(List<MediaWire.Out> out) {
    Map<Long, MediaWire.Out> m = new HashMap<>();
    if (out.isEmpty()) {
      return m;
    }
    long first = out.get(0).timestamp();
    for (MediaWire.Out p : out) {
      m.putIfAbsent((p.timestamp() - first) & WRAP, p);
    }
    return m;
  }

  /** A mark against the wire. */
  record MarkCheck(long delayNanos, long positionError) {}

  /**
   * A {@code MarkResolved(PLAYED)} at {@code position}, received at {@code received}: the delay
   * from the capture of the packet holding the mark's last sample ({@code position - 1}), and how
   * far the mark's position is from where the audio before it ended on the wire (0: exact). The
   * audio must be followed by silence (the harness leaves a pause after each utterance); the error
   * is searched within two packets either side and is {@link Long#MAX_VALUE} when no end is found
   * there. A packet not in the capture gives a delay of -1.
   */
  static MarkCheck mark(long position, long received, Map<Long, MediaWire.Out> byPosition) {
    long last = position - 1;
    long packetStart = Math.floorDiv(last, FRAME) * FRAME;
    MediaWire.Out p = byPosition.get(packetStart);
    long delay = p == null ? -1 : received - p.nanos();
    long wireEnd = audioEndNear(position, byPosition);
    return new MarkCheck(delay, wireEnd < 0 ? Long.MAX_VALUE : position - wireEnd);
  }

  /**
   * The position right after the last audible sample that is followed by silence, nearest to {@code
   * position} within two packets; -1 when there is none.
   */
  static long audioEndNear(long position, Map<Long, MediaWire.Out> byPosition) {
    long best = -1;
    long lo = Math.floorDiv(position, FRAME) * FRAME - 2L * FRAME;
    long hi = lo + 5L * FRAME;
    for (long s = lo; s < hi; s++) {
      Boolean here = audibleAt(s, byPosition);
      Boolean next = audibleAt(s + 1, byPosition);
      if (Boolean.TRUE.equals(here) && Boolean.FALSE.equals(next)) {
        long end = s + 1;
        if (best < 0 || Math.abs(end - position) < Math.abs(best - position)) {
          best = end;
        }
      }
    }
    return best;
  }

  private static Boolean audibleAt(long position, Map<Long, MediaWire.Out> byPosition) {
    if (position < 0) {
      return null;
    }
    long start = Math.floorDiv(position, FRAME) * FRAME;
    MediaWire.Out p = byPosition.get(start);
    return p == null ? null : !p.silentAt((int) (position - start));
  }

  /**
   * Samples of audio on the wire in the run that starts at the first audible packet at or after
   * {@code sent} and ends at the first silent sample after it: what of an utterance reached the
   * caller, when it was followed by silence and had no silent sample itself. -1 when none.
   */
  static long audibleRun(long sent, List<MediaWire.Out> out) {
    int j = 0;
    while (j < out.size() && (out.get(j).nanos() < sent || !out.get(j).anyAudio())) {
      j++;
    }
    if (j == out.size()) {
      return -1;
    }
    long run = 0;
    boolean started = false;
    for (; j < out.size(); j++) {
      MediaWire.Out p = out.get(j);
      for (int i = 0; i < p.payload().length; i++) {
        if (!p.silentAt(i)) {
          started = true;
          run++;
        } else if (started) {
          return run;
        }
      }
    }
    return run;
  }
}

package org.sipline.benchmarks.pacing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.sipline.benchmarks.harness.CapturedPacket;
import org.sipline.benchmarks.harness.Percentiles;

/**
 * Turns captured packets into {@link PacingStats}: per stream, each interval between consecutive
 * packets compared with the time its RTP timestamps say it should span, then pooled over every
 * stream.
 *
 * <p>Comparing with the RTP timestamp step (instead of a flat 20 ms) keeps a skipped frame from
 * counting as a 40 ms "deviation": skipped frames are counted as lost instead. A stream's ideal
 * schedule is anchored at its earliest packet relative to its RTP clock, so lateness measures how
 * far a packet fell behind where an even clock (8 kHz for G.711 and G.722, 48 kHz for Opus) would
 * have put it.
 */
public final class StreamAnalysis {
  /** Behind schedule by more than one packet time: a one-frame jitter buffer would underrun. */
  static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** G.711's RTP clock, the harness's default. */
  static final int G711_CLOCK_RATE = 8000;

  private StreamAnalysis() {}

  /**
   * The pacing of the streams in {@code packets} that go to {@code destination}, over a window.
   *
   * @param packets in capture order
   * @param fromNanos window start (epoch ns), inclusive
   * @param toNanos window end (epoch ns), exclusive
   * @param destination which receiver ports belong to the set being measured
   */
  public static PacingStats analyse(
      List<CapturedPacket> packets, long fromNanos, long toNanos, IntPredicate destination) {
    return analyse(packets, fromNanos, toNanos, destination, G711_CLOCK_RATE);
  }

  /**
   * As {@link #analyse(List, long, long, IntPredicate)}, for streams whose RTP clock runs at {@code
   * clockRate} Hz (a 20 ms frame is {@code clockRate / 50} ticks).
   */
  public static PacingStats analyse(
      List<CapturedPacket> packets,
      long fromNanos,
      long toNanos,
      IntPredicate destination,
      int clockRate) {
    if (clockRate < 50 || clockRate % 50 != 0) {
      throw new IllegalArgumentException("RTP clock " + clockRate + " Hz has no whole 20 ms frame");
    }
    Map<Long, Stream> streams = new HashMap<>();
    long packetCount = 0;
    for (CapturedPacket p : packets) {
      if (p.epochNanos() < fromNanos
          || p.epochNanos() >= toNanos
          || !destination.test(p.dstPort())) {
        continue;
      }
      packetCount++;
      long key = ((long) p.srcPort() << 32) | p.ssrc();
      streams.computeIfAbsent(key, k -> new Stream(clockRate)).add(p);
    }
    long intervals = 0;
    for (Stream s : streams.values()) {
      intervals += s.deviationCount;
    }
    long[] deviations = new long[(int) intervals];
    int at = 0;
    long lost = 0;
    long missed = 0;
    long late = 0;
    long maxLateness = streams.isEmpty() ? -1 : 0;
    long disordered = 0;
    for (Stream s : streams.values()) {
      System.arraycopy(s.deviations, 0, deviations, at, s.deviationCount);
      at += s.deviationCount;
      lost += s.lostFrames;
      missed += s.missedByCapture;
      disordered += s.disordered;
      long[] lateness = s.lateness();
      for (long l : lateness) {
        if (l > LATE_NANOS) {
          late++;
        }
        maxLateness = Math.max(maxLateness, l);
      }
    }
    Percentiles pct = new Percentiles(deviations, at);
    return new PacingStats(
        streams.size(),
        packetCount,
        at,
        pct.at(50),
        pct.at(99),
        pct.at(99.9),
        pct.max(),
        lost,
        missed,
        late,
        maxLateness,
        disordered);
  }

  /** One stream's packets, reduced as they come. */
  private static final class Stream {
    private final int clockRate;
    private final long frameTicks;
    private long[] deviations = new long[64];
    private int deviationCount;

    /** Capture time minus the RTP time since the first packet: constant for a perfect sender. */
    private long[] offsets = new long[64];

    private int offsetCount;
    private long lostFrames;
    private long missedByCapture;
    private long disordered;
    private boolean started;
    private long lastNanos;
    private int lastSequence;
    private long lastTimestamp;

    /** RTP ticks since the first packet, unwrapped. */
    private long ticks;

    Stream(int clockRate) {
      this.clockRate = clockRate;
      this.frameTicks = clockRate / 50;
    }

    /** RTP ticks as nanoseconds; exact for 48 kHz too, where a tick is no whole number of ns. */
    private long nanos(long rtpTicks) {
      return rtpTicks * 1_000_000_000L / clockRate;
    }

    void add(CapturedPacket p) {
      if (!started) {
        started = true;
        remember(p);
        addOffset(p.epochNanos());
        return;
      }
      // Both RTP counters wrap; signed differences in their own width unwrap them.
      long step = (int) (p.timestamp() - lastTimestamp);
      int seqStep = (short) (p.sequence() - lastSequence);
      if (step <= 0 || seqStep <= 0) {
        disordered++;
        return;
      }
      missedByCapture += seqStep - 1;
      long frames = Math.max(1, step / frameTicks);
      // Frames the timestamp skipped beyond the packets the sequence says were sent.
      lostFrames += Math.max(0, frames - seqStep);
      long nominal = nanos(step);
      if (seqStep == 1) {
        addDeviation(Math.abs(p.epochNanos() - lastNanos - nominal));
      }
      ticks += step;
      remember(p);
      addOffset(p.epochNanos() - nanos(ticks));
    }

    private void remember(CapturedPacket p) {
      lastNanos = p.epochNanos();
      lastSequence = p.sequence();
      lastTimestamp = p.timestamp();
    }

    private void addDeviation(long d) {
      if (deviationCount == deviations.length) {
        deviations = java.util.Arrays.copyOf(deviations, deviationCount * 2);
      }
      deviations[deviationCount++] = d;
    }

    private void addOffset(long o) {
      if (offsetCount == offsets.length) {
        offsets = java.util.Arrays.copyOf(offsets, offsetCount * 2);
      }
      offsets[offsetCount++] = o;
    }

    /** How far each packet was behind the earliest-anchored ideal schedule. */
    long[] lateness() {
      long anchor = Long.MAX_VALUE;
      for (int i = 0; i < offsetCount; i++) {
        anchor = Math.min(anchor, offsets[i]);
      }
      long[] out = new long[offsetCount];
      for (int i = 0; i < offsetCount; i++) {
        out[i] = offsets[i] - anchor;
      }
      return out;
    }
  }
}

package org.sipline.benchmarks.pacing;

/**
 * How evenly a set of RTP streams was sent, from capture timestamps. Times in nanoseconds; -1 where
 * there was nothing to measure.
 *
 * @param streams streams seen (source port + SSRC)
 * @param packets packets inside the window
 * @param intervals intervals measured: pairs of consecutive packets of a stream
 * @param p50 median of |interval − nominal|, the nominal being the RTP timestamp step (20 ms for
 *     consecutive frames)
 * @param p99 99th percentile of the same, over every interval of every stream
 * @param p999 99.9th percentile
 * @param max the largest deviation
 * @param lostFrames frames a stream skipped: RTP timestamp advanced by more than one frame with no
 *     packet in between (the sender dropped or never sent them)
 * @param missedByCapture packets sent but not in the capture (sequence number gaps)
 * @param late packets more than {@link StreamAnalysis#LATE_NANOS} behind their stream's ideal
 *     schedule (first packet's time + RTP timestamp offset)
 * @param maxLateness how far the latest packet was behind its schedule
 * @param disordered packets whose RTP timestamp did not advance (duplicates, reordering)
 */
public record PacingStats(
    int streams,
    long packets,
    long intervals,
    long p50,
    long p99,
    long p999,
    long max,
    long lostFrames,
    long missedByCapture,
    long late,
    long maxLateness,
    long disordered) {}

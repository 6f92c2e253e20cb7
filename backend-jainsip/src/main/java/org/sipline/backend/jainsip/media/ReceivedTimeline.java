package org.sipline.backend.jainsip.media;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the received audio is on the caller's timeline, so that every sample not delivered is
 * reported missing and positions computed from what was received never jump.
 *
 * <p>Within one stream the RTP timestamp says it exactly: the samples between the end of the last
 * delivered payload and the start of the next one are missing, whether their packets were lost,
 * came too late, carried DTMF events instead of audio (RFC 4733 §2.5.1.1), or were never sent
 * (silence suppression). A jump the clock cannot account for — the timestamp went back, or forward
 * by more than the time that passed plus {@value #SLACK_MILLIS} ms — is not a gap but a new
 * timeline (a restarted sender, a new SSRC); there the arrival times say how long the stream was
 * silent, counted in whole packets so that network jitter is not taken for loss.
 *
 * <p>Nothing is reported before the first payload. Used by the receive thread only (the count of
 * missing samples may be read from any); allocates nothing.
 */
final class ReceivedTimeline {
  /** How much further the timestamp may run than the wall clock before it is taken for a jump. */
  static final long SLACK_MILLIS = 1000;

  /** Nanoseconds per step of the RTP clock, and the slack in steps: the codec's clock. */
  private final long nanosPerSample;

  private final long slackSamples;

  ReceivedTimeline() {
    this(Codec.CLOCK_RATE);
  }

  /** A timeline counting in steps of an RTP clock of {@code clockRate} Hz. */
  ReceivedTimeline(int clockRate) {
    this.nanosPerSample = TimeUnit.SECONDS.toNanos(1) / clockRate;
    this.slackSamples = SLACK_MILLIS * clockRate / 1000;
  }

  private boolean started;
  private boolean newStream;
  private long expected;
  private int lastSamples;
  private long lastArrivalNanos;
  private final AtomicLong missing = new AtomicLong();

  /**
   * Takes the next in-order audio payload.
   *
   * @param timestamp its RTP timestamp
   * @param samples how many samples it carries
   * @param arrivalNanos when it was received ({@link MediaClock#nanoTime()})
   * @return how many samples are missing before it; 0 for the first payload
   */
  int next(long timestamp, int samples, long arrivalNanos) {
    int gap = 0;
    if (started) {
      long elapsed = Math.max(0, arrivalNanos - lastArrivalNanos) / nanosPerSample;
      int jump = (int) (timestamp - expected); // RFC 3550 timestamps wrap at 2^32
      if (!newStream && jump >= 0 && jump <= elapsed + slackSamples) {
        gap = jump;
      } else {
        gap = silentPackets(elapsed) * lastSamples;
      }
      missing.addAndGet(gap);
    }
    started = true;
    newStream = false;
    expected = (timestamp + samples) & 0xFFFF_FFFFL;
    lastSamples = samples;
    lastArrivalNanos = arrivalNanos;
    return gap;
  }

  /** The next payload starts a new stream (a new SSRC): its timestamp says nothing about gaps. */
  void newStream() {
    newStream = true;
  }

  /** Every sample reported missing so far. */
  long missing() {
    return missing.get();
  }

  /**
   * How many whole packets of the last size fit into the silence after it: {@code elapsed} spans
   * the last packet itself plus the silence, rounded to the nearest packet.
   */
  private int silentPackets(long elapsed) {
    if (lastSamples <= 0) {
      return 0;
    }
    long packets = (elapsed + lastSamples / 2) / lastSamples - 1;
    return (int) Math.max(0, Math.min(packets, Integer.MAX_VALUE / lastSamples));
  }
}

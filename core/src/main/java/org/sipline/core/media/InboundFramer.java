package org.sipline.core.media;

import org.sipline.core.audio.Decimator;
import org.sipline.core.audio.G711;
import org.sipline.core.audio.Interpolator;

/**
 * One stream's caller audio between the receive thread and its client: a bounded ring of samples at
 * the call's rate (with which of them were concealed), cut into events of {@code inbound_frame_ms}
 * and converted to the stream's format when the client takes them.
 *
 * <p>The receive thread only copies samples in ({@link #write}), allocating nothing; a client too
 * slow to take them loses the oldest whole frames beyond {@code max_inbound_lag_ms}, and the next
 * event says how many samples are missing before it. Conversion happens on the client's thread.
 *
 * <p>Positions: an event's position is the timeline position its first sample stands for. When the
 * stream's rate differs from the call's, the filter's output lags its input by {@link
 * Interpolator#delay()} (or {@link Decimator#delay()}) samples; the events are labelled by what
 * their samples stand for, so the first event is that much shorter and every later one starts that
 * much before the input it was made from. Nothing waits for input beyond the frame: the latency is
 * the same as at the call's rate. Guarded by the call's lock.
 */
final class InboundFramer {
  private final int frameSamples;

  /** What max_inbound_lag_ms keeps, in samples (whole frames). */
  private final int capacity;

  /** What may wait now: the capacity, or more while a resume's replay is being handed out. */
  private int limit;

  private final AudioFormat format;
  private final int callRate;
  private final Interpolator interpolator;
  private final Decimator decimator;
  private final int delay;
  private final int bytesPerInput;

  /** Input samples per output sample when decimating, else 1. */
  private final int step;

  private short[] ring;
  private boolean[] concealed;
  private int start;
  private int count;

  /** Timeline position of {@code ring[start]}. */
  private long feedPosition;

  private boolean started;
  private boolean first = true;

  /** The filter's last outputs were pushed out at the call's end. */
  private boolean flushed;

  /** Where the next event's position would be with nothing dropped. */
  private long expected;

  /** Events made from input before this position are re-sent after a resume. */
  private long replayedUntil = Long.MIN_VALUE;

  private long framesDropped;
  private int maxLagSamples;
  private long concealedDelivered;

  private short[] scratch;

  /**
   * @param format the stream's inbound format, its rate resolved; an integer multiple or fraction
   *     of the call's (see {@link CallStream})
   * @param callRate the call's audio rate: what the ring holds
   * @param frameMs audio per event
   * @param maxLagMs audio kept for a slow client
   */
  InboundFramer(AudioFormat format, int callRate, int frameMs, int maxLagMs) {
    this.format = format;
    this.callRate = callRate;
    int perMs = callRate / 1000;
    this.frameSamples = frameMs * perMs;
    int frames = (maxLagMs * perMs + frameSamples - 1) / frameSamples;
    this.capacity = Math.max(1, frames) * frameSamples;
    int rate = format.sampleRate();
    this.interpolator = rate > callRate ? Interpolator.between(callRate, rate) : null;
    this.decimator = rate < callRate ? Decimator.between(callRate, rate) : null;
    this.step = decimator == null ? 1 : decimator.factor();
    this.delay =
        interpolator != null ? interpolator.delay() : decimator != null ? decimator.delay() : 0;
    this.bytesPerInput =
        format.encoding() == AudioEncoding.LINEAR16
            ? 2 * (interpolator == null ? 1 : interpolator.factor())
            : 1;
    this.ring = new short[capacity];
    this.concealed = new boolean[capacity];
    this.limit = capacity;
  }

  /**
   * Copies caller audio in: {@code pcm[offset, offset + length)}, or {@code length} samples of
   * concealment silence when {@code pcm} is null, starting at timeline {@code position}.
   */
  void write(short[] pcm, int offset, int length, long position) {
    if (!started) {
      started = true;
      feedPosition = position;
      expected = position;
    }
    int size = ring.length;
    int done = 0;
    while (done < length) {
      while (count >= limit) {
        dropOldestFrame();
      }
      int end = (start + count) % size;
      int n = Math.min(length - done, Math.min(limit - count, size - end));
      if (pcm == null) {
        java.util.Arrays.fill(ring, end, end + n, (short) 0);
        java.util.Arrays.fill(concealed, end, end + n, true);
      } else {
        System.arraycopy(pcm, offset + done, ring, end, n);
        java.util.Arrays.fill(concealed, end, end + n, false);
      }
      count += n;
      done += n;
    }
    maxLagSamples = Math.max(maxLagSamples, count);
  }

  private void dropOldestFrame() {
    int n = Math.min(frameSamples, count);
    start = (start + n) % ring.length;
    count -= n;
    feedPosition += n;
    framesDropped++;
  }

  /** True when an event can be cut now; at the call's end ({@code flush}) a partial one too. */
  boolean ready(boolean flush) {
    return count >= frameSamples || (flush && (count > 0 || (!first && delay > 0 && !flushed)));
  }

  /** Cuts and converts the next event, or returns null when none is ready. */
  MediaEvent.AudioIn next(boolean flush) {
    if (!ready(flush)) {
      return null;
    }
    int real = Math.min(count, frameSamples);
    boolean last = real < frameSamples; // only when flushing
    int fed = last ? real + delay : real;
    fed = (fed + step - 1) / step * step; // a decimator takes whole outputs' worth
    if (last) {
      flushed = true;
    }
    if (scratch == null || scratch.length < fed) {
      scratch = new short[Math.max(fed, frameSamples + delay)];
    }
    int concealedHere = 0;
    for (int i = 0; i < real; i++) {
      int at = (start + i) % ring.length;
      scratch[i] = ring[at];
      if (concealed[at]) {
        concealedHere++;
      }
    }
    for (int i = real; i < fed; i++) {
      scratch[i] = 0;
    }
    long label = first ? feedPosition : feedPosition - delay;
    int skip = first ? delay : 0; // the filter's warm-up stands for time before the stream
    byte[] data = convert(scratch, fed, skip);
    long dropped = Math.max(0, label - expected);
    boolean replayed = feedPosition < replayedUntil;
    expected = label + (fed - skip);
    first = false;
    start = (start + real) % ring.length;
    count -= real;
    feedPosition += real;
    if (limit > capacity && feedPosition >= replayedUntil) {
      limit = capacity; // the replay is out: back to max_inbound_lag_ms (the next write drops)
    }
    concealedDelivered += concealedHere;
    return new MediaEvent.AudioIn(label, data, concealedHere, dropped, replayed);
  }

  private byte[] convert(short[] samples, int fed, int skip) {
    if (decimator != null) {
      // Lower first (in place: output n is written after inputs up to (n + 1) · step are read),
      // then encode what stands for the stream's time.
      int n = decimator.process(samples, 0, fed, samples, 0);
      int skipped = skip / step;
      short[] out = java.util.Arrays.copyOfRange(samples, skipped, n);
      return encode(out, out.length);
    }
    if (interpolator == null) {
      return encode(samples, fed);
    }
    byte[] all = new byte[fed * bytesPerInput];
    interpolator.process(samples, 0, fed, all, 0);
    if (skip == 0) {
      return all;
    }
    return java.util.Arrays.copyOfRange(all, skip * bytesPerInput, all.length);
  }

  /** {@code samples[0, n)} at the stream's rate in its encoding. */
  private byte[] encode(short[] samples, int n) {
    int fed = n;
    switch (format.encoding()) {
      case MULAW -> {
        byte[] out = new byte[fed];
        G711.encodeUlaw(samples, 0, out, 0, fed);
        return out;
      }
      case ALAW -> {
        byte[] out = new byte[fed];
        G711.encodeAlaw(samples, 0, out, 0, fed);
        return out;
      }
      default -> {
        byte[] out = new byte[2 * fed];
        for (int i = 0; i < fed; i++) {
          out[2 * i] = (byte) samples[i];
          out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
      }
    }
  }

  /**
   * Starts over (a resumed stream is refilled from the call's recent audio, {@code replaySamples}
   * of it, whatever max_inbound_lag_ms says): everything before {@code replayedUntil} will be
   * flagged as re-sent.
   */
  void restart(long replayedUntil, int replaySamples) {
    int needed = (replaySamples + 2 * frameSamples - 1) / frameSamples * frameSamples;
    if (needed > ring.length) {
      ring = new short[needed];
      concealed = new boolean[needed];
    }
    limit = Math.max(capacity, needed);
    start = 0;
    count = 0;
    started = false;
    first = true;
    flushed = false;
    this.replayedUntil = replayedUntil;
    if (interpolator != null) {
      interpolator.reset();
    }
    if (decimator != null) {
      decimator.reset();
    }
  }

  /** Drops whatever waits (a detached client takes nothing): nothing is kept, nothing counted. */
  void discard() {
    feedPosition += count;
    start = 0;
    count = 0;
  }

  long framesDropped() {
    return framesDropped;
  }

  int maxLagMs() {
    return maxLagSamples / (callRate / 1000);
  }

  /** The call rate this framer was made for. */
  int callRate() {
    return callRate;
  }

  long concealedDelivered() {
    return concealedDelivered;
  }
}

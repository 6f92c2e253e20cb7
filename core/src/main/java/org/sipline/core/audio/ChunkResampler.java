package org.sipline.core.audio;

import java.util.Arrays;

/**
 * Resamples one stream of audio that arrives in pieces (a live utterance's chunks) to a call's
 * rate, with the same filters as {@link Resampler}: the samples that come out are exactly those the
 * whole stream resampled at once would give, so chunk boundaries leave no trace (no click, no gap,
 * no drift).
 *
 * <p>An output sample needs input from both sides of its time, so each {@link #push} returns the
 * samples whose input is complete and keeps the rest ({@link Resampler#support()} input samples, a
 * few milliseconds) until more comes or {@link #finish()} pads the end with silence, as the
 * whole-clip resampler does. The filter state is simply the input kept: each push filters that tail
 * plus the new chunk. Not thread-safe: one utterance, one caller at a time.
 */
public final class ChunkResampler {
  private static final short[] NONE = new short[0];

  /** Null when the source is at the target rate already: chunks pass through. */
  private final Resampler resampler;

  private final int rate;
  private final int target;
  private final int support;
  private final int alignment;

  /** Input kept, from absolute input index {@link #bufferStart} on. */
  private short[] buffer = NONE;

  private int length;
  private long bufferStart;
  private long inputTotal;

  /** The next output sample (absolute index) not handed out yet. */
  private long nextOut;

  private boolean finished;

  private ChunkResampler(int rate, int target) {
    this.rate = rate;
    this.target = target;
    this.resampler = rate == target ? null : Resampler.between(rate, target);
    this.support = resampler == null ? 0 : resampler.support();
    this.alignment = resampler == null ? 1 : resampler.alignment();
  }

  /**
   * A resampler from {@code sourceRate} to 8 kHz for one stream.
   *
   * @throws IllegalArgumentException for a rate {@link Resampler#toCodecRate} refuses
   * @param sourceRate the input's rate in Hz
   * @return a resampler with no input yet
   */
  public static ChunkResampler toCodecRate(int sourceRate) {
    return new ChunkResampler(sourceRate, Resampler.TARGET_RATE);
  }

  /**
   * A resampler from {@code sourceRate} to a call's rate for one stream.
   *
   * @throws IllegalArgumentException for rates {@link Resampler#between} refuses
   * @param sourceRate the input's rate in Hz
   * @param targetRate the call's rate in Hz
   * @return a resampler with no input yet
   */
  public static ChunkResampler between(int sourceRate, int targetRate) {
    return new ChunkResampler(sourceRate, targetRate);
  }

  /**
   * The input's rate.
   *
   * @return the rate in Hz
   */
  public int sourceRate() {
    return rate;
  }

  /**
   * Takes {@code input[offset, offset + count)} and returns the output samples now complete (maybe
   * none). The input is copied; the result is the caller's.
   *
   * @throws IllegalStateException after {@link #finish()}
   * @param input the samples
   * @param offset the first sample to take
   * @param count how many to take
   * @return the output samples now complete
   */
  public short[] push(short[] input, int offset, int count) {
    if (finished) {
      throw new IllegalStateException("push after finish");
    }
    if (resampler == null) {
      inputTotal += count;
      return Arrays.copyOfRange(input, offset, offset + count);
    }
    append(input, offset, count);
    long end = bufferStart + length;
    // The last output whose input reaches no further than what we hold: position · rate / target
    // plus the filters' reach must stay inside [.., end).
    long last = Math.floorDiv((end - 1 - support) * target, rate);
    if (last < nextOut) {
      return NONE;
    }
    return emit(last + 1);
  }

  /**
   * The stream ended: returns the samples still held, the end padded with silence as the whole-clip
   * resampler pads it. The total output is then {@link Resampler#outputLength} of all input.
   *
   * @return the last output samples
   */
  public short[] finish() {
    if (finished) {
      return NONE;
    }
    finished = true;
    if (resampler == null) {
      return NONE;
    }
    long total = Math.round((double) inputTotal * target / rate);
    if (total <= nextOut) {
      return NONE;
    }
    return emit(total);
  }

  /**
   * Input samples held back, waiting for their right-hand context.
   *
   * @return the count
   */
  public int pending() {
    return length;
  }

  private void append(short[] input, int offset, int count) {
    if (length + count > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(length + count, 2 * buffer.length));
    }
    System.arraycopy(input, offset, buffer, length, count);
    length += count;
    inputTotal += count;
  }

  /** Outputs [nextOut, until): filters the held input from the aligned start they need. */
  private short[] emit(long until) {
    long from = segmentStart(nextOut);
    int skip = (int) (from - bufferStart);
    short[] segment = Arrays.copyOfRange(buffer, skip, length);
    short[] out = resampler.resample(segment);
    long firstOut = from * target / rate; // exact: from is aligned
    short[] result = Arrays.copyOfRange(out, (int) (nextOut - firstOut), (int) (until - firstOut));
    nextOut = until;
    // Keep only what the next outputs will need.
    long keepFrom = segmentStart(nextOut);
    int drop = (int) (keepFrom - bufferStart);
    if (drop > 0) {
      System.arraycopy(buffer, drop, buffer, 0, length - drop);
      length -= drop;
      bufferStart = keepFrom;
    }
    return result;
  }

  /** Where a stretch must start (aligned, not before 0) to compute output {@code n} exactly. */
  private long segmentStart(long n) {
    long needed = Math.floorDiv(n * rate, target) - support;
    long aligned = Math.floorDiv(needed, alignment) * alignment;
    return Math.max(bufferStart, Math.max(0, aligned));
  }
}

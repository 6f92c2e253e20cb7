package org.sipline.core.audio;

import java.util.Arrays;

/**
 * A low-pass FIR that keeps every {@code factor}-th sample: the resampler's integer stages. With a
 * wide transition band it brings e.g. 44.1 kHz down to 11.025 kHz cheaply; with factor 1 and the
 * sharp telephone-band filter it is the stage that removes everything from 4 kHz up.
 *
 * <p>Computed as a sum of scaled, shifted copies of the input ("axpy" per tap) over the input split
 * into {@code factor} interleaved streams: no horizontal sums in the inner loop, so it vectorises
 * wherever the JIT inlines it (a dot product per output would not, once inlined into the loop over
 * outputs). This is why the sharp filter runs here, at the intermediate rate, rather than as a long
 * polyphase filter: more multiplications, but 8 or 16 to an instruction.
 */
final class IntegerDecimator {
  /** Outputs per block: the accumulator and the tap's window stay in the L1 cache. */
  private static final int BLOCK = 2048;

  /** Slots per stream dealt out at a time. */
  private static final int DEAL_SLICE = 1024;

  private final int factor;
  private final int taps;
  private final int[] coefficients;
  private final int shift;

  /**
   * @param factor keep one sample in {@code factor}; 1 filters without decimating
   * @param kernel the low-pass, in input samples; used with an odd number of taps centred on 0
   */
  IntegerDecimator(int factor, KaiserLowPass kernel) {
    this.factor = factor;
    int halfWidth = kernel.halfWidth();
    this.taps = 2 * halfWidth - 1;
    double[] real = new double[taps];
    double sum = 0;
    for (int m = 0; m < taps; m++) {
      real[m] = kernel.at(m - (halfWidth - 1));
      sum += real[m];
    }
    double absSum = 0;
    for (int m = 0; m < taps; m++) {
      real[m] /= sum;
      absSum += Math.abs(real[m]);
    }
    this.shift = FixedPoint.shiftFor(absSum, taps);
    this.coefficients = new int[taps];
    FixedPoint.quantise(real, shift, coefficients, 0);
  }

  int factor() {
    return factor;
  }

  int taps() {
    return taps;
  }

  /** A copy of the integer taps, for tests; their sum is 2^{@link #shift()}. */
  int[] coefficients() {
    return coefficients.clone();
  }

  int shift() {
    return shift;
  }

  /** Output sample t is the filtered input around sample t · factor; ⌈length / factor⌉ of them. */
  int[] decimate(short[] input) {
    int streamLength = streamLength(input.length);
    int[] streams = new int[factor * streamLength];
    // In slices, so that the slice of input read once per stream stays in the cache: measured
    // twice as fast as dealing each whole stream in turn.
    for (int slice = 0; slice < streamLength; slice += DEAL_SLICE) {
      for (int r = 0; r < factor; r++) {
        int base = r * streamLength;
        int from = Math.max(slice, firstSlot(r));
        int to = Math.min(slice + DEAL_SLICE, endSlot(r, input.length));
        for (int u = from, k = u * factor + r - centre(); u < to; u++, k += factor) {
          streams[base + u] = input[k];
        }
      }
    }
    return filter(streams, input.length);
  }

  /** As {@link #decimate(short[])}, for 16-bit samples held in ints (an earlier stage's output). */
  int[] decimate(int[] input) {
    int streamLength = streamLength(input.length);
    int[] streams = new int[factor * streamLength];
    if (factor == 1) {
      System.arraycopy(input, 0, streams, centre(), input.length);
      return filter(streams, input.length);
    }
    for (int slice = 0; slice < streamLength; slice += DEAL_SLICE) {
      for (int r = 0; r < factor; r++) {
        int base = r * streamLength;
        int from = Math.max(slice, firstSlot(r));
        int to = Math.min(slice + DEAL_SLICE, endSlot(r, input.length));
        for (int u = from, k = u * factor + r - centre(); u < to; u++, k += factor) {
          streams[base + u] = input[k];
        }
      }
    }
    return filter(streams, input.length);
  }

  /**
   * The input padded with {@code centre()} zeros in front (and enough behind) is dealt out: stream
   * r, slot u holds padded sample u · factor + r. Output t then needs slots t + m / factor of
   * stream m % factor for tap m: one contiguous window per tap.
   */
  private int streamLength(int inputLength) {
    return outLength(inputLength) + (taps + factor - 1) / factor;
  }

  private int outLength(int inputLength) {
    return (inputLength + factor - 1) / factor;
  }

  private int centre() {
    return (taps - 1) / 2;
  }

  /** One past the last slot of stream r that holds an input sample. */
  private int endSlot(int r, int inputLength) {
    return Math.max(0, (inputLength + centre() - r + factor - 1) / factor);
  }

  /** The first slot of stream r that holds an input sample rather than leading padding. */
  private int firstSlot(int r) {
    return Math.max(0, (centre() - r + factor - 1) / factor);
  }

  private int[] filter(int[] streams, int inputLength) {
    int outLength = outLength(inputLength);
    int streamLength = streamLength(inputLength);
    int[] output = new int[outLength];
    int[] acc = new int[BLOCK];
    int[] window = new int[BLOCK];
    for (int start = 0; start < outLength; start += BLOCK) {
      int length = Math.min(BLOCK, outLength - start);
      Arrays.fill(acc, 0, length, 0);
      for (int m = 0; m < taps; m++) {
        // The copy lines the tap's inputs up with the accumulator: with one index for both
        // arrays the JIT vectorises; with an offset it does not (measured: 2.4× slower).
        System.arraycopy(
            streams, (m % factor) * streamLength + start + m / factor, window, 0, length);
        axpy(coefficients[m], window, acc, length);
      }
      FixedPoint.toSamples(acc, shift, output, start, length);
    }
    return output;
  }

  private static void axpy(int c, int[] x, int[] acc, int length) {
    for (int n = 0; n < length; n++) {
      acc[n] += c * x[n];
    }
  }
}

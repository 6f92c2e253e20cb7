package org.sipline.testing;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.sipline.core.spi.AudioSink;

/** Keeps every sample it is given; tests wait on it for a number of samples. */
public final class CollectingSink implements AudioSink {
  private short[] samples = new short[1024];
  private int size;

  /** An empty sink. */
  public CollectingSink() {}

  @Override
  public synchronized void write(short[] pcm, int offset, int length) {
    if (size + length > samples.length) {
      samples = Arrays.copyOf(samples, Math.max(samples.length * 2, size + length));
    }
    System.arraycopy(pcm, offset, samples, size, length);
    size += length;
    notifyAll();
  }

  /**
   * Waits until at least {@code count} samples came, then returns all of them.
   *
   * @param count how many samples to wait for
   * @param timeout how long to wait at most
   * @param unit the unit of {@code timeout}
   * @return every sample so far, in order
   * @throws InterruptedException if interrupted while waiting
   * @throws AssertionError if fewer than {@code count} samples came in time
   */
  public synchronized short[] awaitSamples(int count, long timeout, TimeUnit unit)
      throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (size < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "waited " + unit.toMillis(timeout) + " ms for " + count + " samples, have " + size);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return Arrays.copyOf(samples, size);
  }

  /**
   * Every sample so far, in order.
   *
   * @return a copy of them
   */
  public synchronized short[] samples() {
    return Arrays.copyOf(samples, size);
  }
}

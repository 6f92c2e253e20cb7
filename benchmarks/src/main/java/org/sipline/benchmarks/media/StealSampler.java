package org.sipline.benchmarks.media;

import java.io.IOException;
import java.util.Arrays;
import org.sipline.benchmarks.harness.ProcStat;

/**
 * Samples the hypervisor's steal ({@code /proc/stat}) every 100 ms for the whole run, so that a
 * window can say not only how much time was stolen in it but how it came: spread thinly, or in a
 * burst long enough to stop every thread of the machine (the pacer's included) for a frame or more.
 * The kernel counts steal in 10 ms ticks, so a slot's figure is a multiple of 10 ms.
 */
final class StealSampler implements AutoCloseable {
  private static final long SLOT_NANOS = 100_000_000L;

  private final Thread thread;
  private volatile boolean running = true;
  private long[] times = new long[1024];
  private long[] steal = new long[1024];
  private int count;

  StealSampler() {
    thread = new Thread(this::run, "steal-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      long last = ProcStat.stealNanos();
      while (running) {
        Thread.sleep(SLOT_NANOS / 1_000_000);
        long now = ProcStat.stealNanos();
        add(WallClock.nanos(), now - last);
        last = now;
      }
    } catch (IOException e) {
      throw new IllegalStateException("reading /proc/stat", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void add(long at, long stolen) {
    if (count == times.length) {
      times = Arrays.copyOf(times, count * 2);
      steal = Arrays.copyOf(steal, count * 2);
    }
    times[count] = at;
    steal[count] = stolen;
    count++;
  }

  /** The most steal in one 100 ms slot ending in {@code [from, to)}, nanoseconds. */
  synchronized long maxSlot(long from, long to) {
    long max = 0;
    for (int i = 0; i < count; i++) {
      if (times[i] >= from && times[i] < to) {
        max = Math.max(max, steal[i]);
      }
    }
    return max;
  }

  /** How many 100 ms slots ending in {@code [from, to)} had at least {@code atLeast} of steal. */
  synchronized int slotsOver(long from, long to, long atLeast) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (times[i] >= from && times[i] < to && steal[i] >= atLeast) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}

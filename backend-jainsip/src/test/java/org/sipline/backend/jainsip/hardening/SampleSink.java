package org.sipline.backend.jainsip.hardening;

import java.util.Arrays;
import org.sipline.core.spi.AudioSink;

/** Keeps every sample a call received, in order; read from the test thread. */
final class SampleSink implements AudioSink {
  private short[] samples = new short[8192];
  private int size;

  @Override
  public synchronized void write(short[] pcm, int offset, int length) {
    if (size + length > samples.length) {
      samples = Arrays.copyOf(samples, Math.max(samples.length * 2, size + length));
    }
    System.arraycopy(pcm, offset, samples, size, length);
    size += length;
  }

  synchronized int size() {
    return size;
  }

  synchronized short[] samples() {
    return Arrays.copyOf(samples, size);
  }
}

package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfEvent;

/**
 * Both ends of a call's audio, watching how the backend uses them: every DTMF event, samples
 * written and reported missing (and when the first missing came), and whether every frame read was
 * reported sent exactly once before the next read, as {@link AudioSource} requires.
 */
final class MediaProbe implements AudioSource, AudioSink {
  private final BlockingQueue<DtmfEvent> dtmf = new LinkedBlockingQueue<>();

  /** The samples of a received frame at this call's rate, from its first write (0 before). */
  private final AtomicInteger frameSamples = new AtomicInteger();

  private final AtomicLong written = new AtomicLong();
  private final AtomicLong missing = new AtomicLong();
  private final AtomicLong loudFrames = new AtomicLong();
  private final AtomicLong loudBeforeFirstMissing = new AtomicLong(-1);
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong sentOnWire = new AtomicLong();
  private final AtomicLong sentNotOnWire = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicInteger violations = new AtomicInteger();
  private final List<String> violationTexts = new ArrayList<>();
  private final AtomicLong readThread = new AtomicLong(-1);
  private boolean outstanding;

  // Appended on pjsua's media thread, read by the test thread: StringBuffer's locking is the point.
  @SuppressWarnings("JdkObsolete")
  private final StringBuffer trace = new StringBuffer();

  private final long t0 = System.nanoTime();

  CallMedia media() {
    return new CallMedia(this, this);
  }

  @Override
  public synchronized boolean read(short[] frame) {
    java.util.Arrays.fill(frame, (short) 0);
    if (outstanding) {
      violation("read again before the previous frame was reported sent");
    }
    outstanding = true;
    reads.incrementAndGet();
    readThread.compareAndSet(-1, Thread.currentThread().getId());
    return false;
  }

  @Override
  public synchronized void sent(boolean onWire) {
    if (!outstanding) {
      violation("sent(" + onWire + ") without a frame read");
    }
    if (readThread.get() != Thread.currentThread().getId()) {
      violation("sent on another thread than read");
    }
    outstanding = false;
    (onWire ? sentOnWire : sentNotOnWire).incrementAndGet();
  }

  @Override
  public void skipped(int frames) {
    if (frames <= 0) {
      violation("skipped(" + frames + ")");
    }
    skipped.addAndGet(frames);
  }

  @Override
  public void write(short[] pcm, int offset, int length) {
    // 20 ms at the call's rate (G.711 8 kHz, G.722 and Opus 16 kHz: the codec follows --codecs
    // and the pjproject), the same for the whole call.
    int first = frameSamples.compareAndExchange(0, length);
    if ((length != AudioFrames.FRAME_SAMPLES && length != AudioFrames.frameSamples(16_000))
        || (first != 0 && first != length)) {
      violation("write of " + length + " samples");
    }
    written.addAndGet(length);
    int peak = 0;
    for (int i = offset; i < offset + length; i++) {
      peak = Math.max(peak, Math.abs(pcm[i]));
    }
    if (peak > 4000) {
      loudFrames.incrementAndGet();
    }
    trace.append(peak > 4000 ? 'L' : 'w');
  }

  @Override
  public void missing(int samples) {
    if (samples <= 0) {
      violation("missing(" + samples + ")");
    }
    loudBeforeFirstMissing.compareAndSet(-1, loudFrames.get());
    missing.addAndGet(samples);
    trace
        .append(" M")
        .append(samples / Math.max(1, frameSamples.get()))
        .append('@')
        .append((System.nanoTime() - t0) / 1_000_000)
        .append(' ');
  }

  @Override
  public void dtmf(DtmfEvent event) {
    dtmf.add(event);
  }

  /** The next DTMF event, waiting at most {@code bound}. */
  DtmfEvent nextDtmf(Duration bound) throws InterruptedException {
    DtmfEvent e = dtmf.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      fail("no DTMF event within " + bound);
    }
    return e;
  }

  /** The next DTMF event within {@code bound}, or null. */
  DtmfEvent pollDtmf(Duration bound) throws InterruptedException {
    return dtmf.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
  }

  long written() {
    return written.get();
  }

  long missing() {
    return missing.get();
  }

  /** Frames of loud audio written before the first missing() call; -1 if none came. */
  long loudBeforeFirstMissing() {
    return loudBeforeFirstMissing.get();
  }

  /** What the sink got, in order: L loud frame, w quiet frame, M<frames>@<ms> missing. */
  String trace() {
    return trace.toString();
  }

  long reads() {
    return reads.get();
  }

  long sentOnWire() {
    return sentOnWire.get();
  }

  long sentNotOnWire() {
    return sentNotOnWire.get();
  }

  long skipped() {
    return skipped.get();
  }

  synchronized List<String> violations() {
    return List.copyOf(violationTexts);
  }

  private synchronized void violation(String what) {
    if (violations.incrementAndGet() <= 10) {
      violationTexts.add(what);
    }
  }
}

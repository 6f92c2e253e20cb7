package org.sipline.backend.jainsip.media;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk side of every call's recording: one thread per media engine that writes the blocks the
 * {@link WavRecorder}s hand over, so that the receive thread, which serves every call, never waits
 * for a disk.
 *
 * <p>The hand-off is bounded per recording: at most {@link #MAX_QUEUED_BLOCKS} blocks (of {@value
 * WavRecorder#BUFFER_BYTES} bytes, about a second of the call's audio each) wait for the disk. When
 * the disk falls that far behind, the recorder drops the next block and counts it (see {@link
 * WavRecorder}); the file holds silence there (the block's place in the file is skipped, and a
 * skipped place reads as zeros), so the recording keeps the call's timeline. A recording's end (the
 * last partial block and the header's sizes) is never dropped: there is one per recording. The
 * memory waiting for the disk is thus at most {@code MAX_QUEUED_BLOCKS × 16 KiB} per call.
 */
final class RecordingWriter implements AutoCloseable {
  /** Blocks of one recording waiting for the disk, at most: about 4 s of its audio, 64 KiB. */
  static final int MAX_QUEUED_BLOCKS = 4;

  private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final BlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  private RecordingWriter() {
    this.thread = new Thread(this::run, "sipline-recordings");
    thread.setDaemon(true);
  }

  /** A writer with its thread running. */
  static RecordingWriter start() {
    RecordingWriter writer = new RecordingWriter();
    writer.thread.start();
    return writer;
  }

  /**
   * Queues {@code block} (position 0, limit its end) for {@code recorder} at file offset {@code
   * position}; never waits. The recorder keeps its own count against {@link #MAX_QUEUED_BLOCKS}.
   *
   * @return false when the writer is closed: the block will not be written
   */
  boolean offer(WavRecorder recorder, ByteBuffer block, long position) {
    if (closed) {
      return false;
    }
    jobs.add(() -> recorder.writeToDisk(block, position));
    return true;
  }

  /** Queues the end of {@code recorder}'s file after every block it queued before; never waits. */
  void finish(WavRecorder recorder, ByteBuffer last, long position, long dataBytes) {
    if (closed) {
      recorder.abandon("the media engine closed first");
      return;
    }
    jobs.add(() -> recorder.finishOnDisk(last, position, dataBytes));
  }

  /**
   * Writes what is queued (recordings of closed calls end properly), waiting at most {@value
   * #CLOSE_WAIT_SECONDS} s for the disk, then stops the thread. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    jobs.add(Stop.INSTANCE);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn(
          "Recordings: the disk did not take the last {} queued writes within {} s; they are"
              + " abandoned",
          jobs.size() - 1,
          CLOSE_WAIT_SECONDS);
      thread.interrupt();
    }
  }

  private void run() {
    while (true) {
      Runnable job;
      try {
        job = jobs.take();
      } catch (InterruptedException e) {
        return;
      }
      if (job == Stop.INSTANCE) {
        return;
      }
      try {
        job.run();
      } catch (RuntimeException e) {
        // A recorder reports its own disk errors; anything else must not end every recording.
        log.error("Recording write failed", e);
      }
    }
  }

  /** The job that ends the thread once everything before it was written. */
  private enum Stop implements Runnable {
    INSTANCE;

    @Override
    public void run() {}
  }
}

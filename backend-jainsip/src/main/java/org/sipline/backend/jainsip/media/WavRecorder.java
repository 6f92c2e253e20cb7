package org.sipline.backend.jainsip.media;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a call's received audio to a WAV file (RIFF, PCM, 16-bit, mono, 8 kHz).
 *
 * <p>{@link #write} runs on the receive thread that serves every call, so it never touches the
 * disk: samples gather in a buffer of {@value #BUFFER_BYTES} bytes (about a second) that, when
 * full, is handed to the engine's {@link RecordingWriter} and replaced. Memory per call stays
 * bounded, and a slow disk delays only the recordings. When {@value
 * RecordingWriter#MAX_QUEUED_BLOCKS} of this recording's blocks already wait for the disk (it fell
 * about that many seconds behind) the next block is dropped and counted: the file holds silence in
 * its place, so later audio keeps its time, and the recording's end logs how much was lost ({@link
 * #droppedBytes}).
 *
 * <p>The header is written with zero sizes first and fixed up at the end, so a recording cut short
 * by a crash still holds its audio. The file stops growing at WAV's 4 GiB size limit. A disk error
 * stops the recording (logged once); the call goes on.
 */
final class WavRecorder implements AudioSink {
  static final int BUFFER_BYTES = 16 * 1024;
  static final int HEADER_BYTES = 44;

  /** The data chunk's size field is 32-bit unsigned, and the RIFF size adds 36 to it. */
  static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - 36;

  private static final Logger log = LoggerFactory.getLogger(WavRecorder.class);
  private static final int MAX_NAME_CHARS = 120;

  /** Where a recording's bytes go: its file, or in tests a disk that can be made slow. */
  interface Disk extends Closeable {
    void write(ByteBuffer src, long position) throws IOException;

    long size() throws IOException;
  }

  private final Path path;
  private final String callId;
  private final RecordingWriter writer;
  private final long maxDataBytes;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  /** Blocks handed to the writer and not yet written: the receive side adds, the writer takes. */
  private final AtomicInteger queued = new AtomicInteger();

  // The receive thread's side, under this object's lock.
  private ByteBuffer buffer = newBuffer();
  private long dataBytes;
  private long bufferPosition = HEADER_BYTES;
  private long droppedBytes;
  private boolean full;
  private boolean closed;

  // The writer thread's side.
  private final Disk disk;
  private boolean diskFailed;

  /** The call's audio rate: a recording keeps it (16 kHz for G.722 and Opus). */
  private final int rate;

  private WavRecorder(
      Path path, Disk disk, String callId, RecordingWriter writer, long maxDataBytes, int rate)
      throws IOException {
    this.rate = rate;
    this.path = path;
    this.disk = disk;
    this.callId = callId;
    this.writer = writer;
    this.maxDataBytes = maxDataBytes;
    // The first header is written here, on the thread that opens the recording (the call's start,
    // not the receive thread).
    disk.write(header(0, rate), 0);
  }

  /**
   * Creates the recording of call {@code callId} in {@code dir}, written by {@code writer}, named
   * after the Call-ID with every character outside {@code [A-Za-z0-9._-]} replaced; a second
   * recording of the same Call-ID gets a numbered name instead of overwriting the first.
   */
  static WavRecorder create(RecordingWriter writer, Path dir, String callId) throws IOException {
    return create(writer, dir, callId, MAX_DATA_BYTES);
  }

  static WavRecorder create(RecordingWriter writer, Path dir, String callId, long maxDataBytes)
      throws IOException {
    return create(writer, dir, callId, maxDataBytes, AudioFrames.SAMPLE_RATE);
  }

  /** As {@link #create(RecordingWriter, Path, String)}, of audio at {@code rate}. */
  static WavRecorder create(
      RecordingWriter writer, Path dir, String callId, long maxDataBytes, int rate)
      throws IOException {
    String base = fileNameFor(callId);
    for (int n = 0; ; n++) {
      Path candidate = dir.resolve(n == 0 ? base + ".wav" : base + "-" + n + ".wav");
      try {
        FileChannel ch =
            FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
          return new WavRecorder(candidate, new FileDisk(ch), callId, writer, maxDataBytes, rate);
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
      } catch (FileAlreadyExistsException e) {
        if (n >= 1000) {
          throw new IOException("1000 recordings of Call-ID " + callId + " in " + dir, e);
        }
      }
    }
  }

  /** A recording onto {@code disk} (tests: a disk that blocks). */
  static WavRecorder onDisk(RecordingWriter writer, Path path, Disk disk, String callId)
      throws IOException {
    return new WavRecorder(path, disk, callId, writer, MAX_DATA_BYTES, AudioFrames.SAMPLE_RATE);
  }

  /** A file name (without extension) that cannot leave the directory or surprise a shell. */
  static String fileNameFor(String callId) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < callId.length() && sb.length() < MAX_NAME_CHARS; i++) {
      char c = callId.charAt(i);
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      sb.append(safe ? c : '_');
    }
    // A leading dot would hide the file; an empty Call-ID would leave no name at all.
    if (sb.length() == 0 || sb.charAt(0) == '.') {
      sb.insert(0, "call");
    }
    return sb.toString();
  }

  Path path() {
    return path;
  }

  /** Bytes of audio taken so far (2 per sample). */
  synchronized long dataBytes() {
    return dataBytes;
  }

  /** Bytes of audio taken but not written because the writer's hand-off was full. */
  synchronized long droppedBytes() {
    return droppedBytes;
  }

  /** Completes once the file is complete (or abandoned after a disk error); never fails. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  @Override
  public synchronized void write(short[] pcm, int offset, int length) {
    if (closed || full) {
      return;
    }
    for (int i = 0; i < length; i++) {
      if (dataBytes + 2 > maxDataBytes) {
        full = true;
        log.warn(
            "Recording {} of Call-ID {} reached the WAV size limit; later audio is not "
                + "recorded",
            path,
            callId);
        return;
      }
      if (!buffer.hasRemaining()) {
        handOff();
      }
      buffer.putShort(pcm[offset + i]);
      dataBytes += 2;
    }
  }

  /** Lock held: the full buffer goes to the writer, or is dropped and counted. */
  private void handOff() {
    buffer.flip();
    boolean taken = queued.get() < RecordingWriter.MAX_QUEUED_BLOCKS;
    if (taken) {
      queued.incrementAndGet();
      taken = writer.offer(this, buffer, bufferPosition);
      if (!taken) {
        queued.decrementAndGet();
      }
    }
    if (!taken) {
      if (droppedBytes == 0) {
        log.warn(
            "Recording {} of Call-ID {}: the disk fell {} blocks behind; audio that does not fit"
                + " is recorded as silence",
            path,
            callId,
            RecordingWriter.MAX_QUEUED_BLOCKS);
      }
      droppedBytes += buffer.remaining();
    }
    bufferPosition += buffer.limit();
    buffer = newBuffer();
  }

  /**
   * Hands what is buffered and the final sizes to the writer, which ends the file after every block
   * before; later writes are ignored. Never waits for the disk ({@link #finished} tells when the
   * file is complete). Idempotent.
   */
  public void close() {
    ByteBuffer last;
    long position;
    long total;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      last = buffer.flip();
      position = bufferPosition;
      total = dataBytes;
      if (droppedBytes > 0) {
        log.warn(
            "Recording {} of Call-ID {}: {} ms of audio recorded as silence because the disk fell"
                + " behind",
            path,
            callId,
            droppedBytes / 2 * 1000 / rate);
      }
    }
    writer.finish(this, last, position, total);
  }

  /** Writer thread: one block at its place in the file. */
  void writeToDisk(ByteBuffer block, long position) {
    queued.decrementAndGet();
    writeBlock(block, position);
  }

  private void writeBlock(ByteBuffer block, long position) {
    if (diskFailed) {
      return;
    }
    try {
      disk.write(block, position);
    } catch (IOException e) {
      diskFailed = true;
      log.error("Recording {} of Call-ID {} failed; the call goes on unrecorded", path, callId, e);
    }
  }

  /** Writer thread: the last block, the file's full length and the header's sizes. */
  void finishOnDisk(ByteBuffer last, long position, long total) {
    try {
      writeBlock(last, position);
      long end = HEADER_BYTES + total;
      // After a failed write the header claims what reached the disk, in whole samples.
      long claimed =
          diskFailed ? Math.min(total, Math.max(0, disk.size() - HEADER_BYTES)) & ~1L : total;
      if (!diskFailed && total > 0 && disk.size() < end) {
        // The last blocks were dropped: the file still spans the call, ending in silence.
        disk.write(ByteBuffer.allocate(2), end - 2);
      }
      disk.write(header(claimed, rate), 0);
    } catch (IOException e) {
      log.error("Finishing recording {} of Call-ID {} failed", path, callId, e);
    } finally {
      closeDisk();
      finished.complete(null);
    }
  }

  /** The writer closed before this recording's end was queued: the file keeps what it has. */
  void abandon(String why) {
    log.warn("Recording {} of Call-ID {} left unfinished: {}", path, callId, why);
    closeDisk();
    finished.complete(null);
  }

  private void closeDisk() {
    try {
      disk.close();
    } catch (IOException e) {
      log.warn("Closing recording {} of Call-ID {} failed", path, callId, e);
    }
  }

  private static ByteBuffer newBuffer() {
    return ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A recording's file. */
  private static final class FileDisk implements Disk {
    private final FileChannel file;

    FileDisk(FileChannel file) {
      this.file = file;
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
      long at = position;
      while (src.hasRemaining()) {
        at += file.write(src, at);
      }
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  private static ByteBuffer header(long dataBytes, int rate) {
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.put((byte) 'R').put((byte) 'I').put((byte) 'F').put((byte) 'F');
    h.putInt((int) (36 + dataBytes));
    h.put((byte) 'W').put((byte) 'A').put((byte) 'V').put((byte) 'E');
    h.put((byte) 'f').put((byte) 'm').put((byte) 't').put((byte) ' ');
    h.putInt(16); // fmt chunk size
    h.putShort((short) 1); // PCM
    h.putShort((short) 1); // mono
    h.putInt(rate);
    h.putInt(rate * 2); // byte rate
    h.putShort((short) 2); // block align
    h.putShort((short) 16); // bits per sample
    h.put((byte) 'd').put((byte) 'a').put((byte) 't').put((byte) 'a');
    h.putInt((int) dataBytes);
    return h.flip();
  }
}

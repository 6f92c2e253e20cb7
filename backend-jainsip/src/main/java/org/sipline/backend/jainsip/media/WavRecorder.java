package org.sipline.backend.jainsip.media;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a call's received audio to a WAV file (RIFF, PCM, 16-bit, mono, 8 kHz).
 *
 * <p>The header is written with zero sizes first and fixed up on {@link #close}, so a recording cut
 * short by a crash still holds its audio. Samples gather in a fixed buffer of {@value
 * #BUFFER_BYTES} bytes (about a second) that is written out when full: memory per call stays
 * bounded, and the receive thread touches the disk about once a second per call. The file stops
 * growing at WAV's 4 GiB size limit. A disk error stops the recording (logged once); the call goes
 * on.
 */
final class WavRecorder implements AudioSink, Closeable {
  static final int BUFFER_BYTES = 16 * 1024;
  static final int HEADER_BYTES = 44;

  /** The data chunk's size field is 32-bit unsigned, and the RIFF size adds 36 to it. */
  static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - 36;

  private static final Logger log = LoggerFactory.getLogger(WavRecorder.class);
  private static final int MAX_NAME_CHARS = 120;

  private final Path path;
  private final String callId;
  private final FileChannel file;
  private final ByteBuffer buffer =
      ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private final long maxDataBytes;
  private long dataBytes;
  private boolean failed;
  private boolean full;
  private boolean closed;

  private WavRecorder(Path path, FileChannel file, String callId, long maxDataBytes)
      throws IOException {
    this.path = path;
    this.file = file;
    this.callId = callId;
    this.maxDataBytes = maxDataBytes;
    file.write(header(0), 0);
    file.position(HEADER_BYTES);
  }

  /**
   * Creates the recording of call {@code callId} in {@code dir}, named after the Call-ID with every
   * character outside {@code [A-Za-z0-9._-]} replaced; a second recording of the same Call-ID gets
   * a numbered name instead of overwriting the first.
   */
  static WavRecorder create(Path dir, String callId) throws IOException {
    return create(dir, callId, MAX_DATA_BYTES);
  }

  static WavRecorder create(Path dir, String callId, long maxDataBytes) throws IOException {
    String base = fileNameFor(callId);
    for (int n = 0; ; n++) {
      Path candidate = dir.resolve(n == 0 ? base + ".wav" : base + "-" + n + ".wav");
      try {
        FileChannel ch =
            FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
          return new WavRecorder(candidate, ch, callId, maxDataBytes);
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

  @Override
  public synchronized void write(short[] pcm, int offset, int length) {
    if (closed || failed || full) {
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
      if (!buffer.hasRemaining() && !flush()) {
        return;
      }
      buffer.putShort(pcm[offset + i]);
      dataBytes += 2;
    }
  }

  /** Writes what is buffered and the final sizes; later writes are ignored. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!failed) {
        flush();
      }
      // After a failed flush the header claims what reached the disk, in whole samples.
      long onDisk = failed ? Math.max(0, file.size() - HEADER_BYTES) & ~1L : dataBytes;
      file.write(header(onDisk), 0);
    } finally {
      file.close();
    }
  }

  private boolean flush() {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        file.write(buffer);
      }
      buffer.clear();
      return true;
    } catch (IOException e) {
      failed = true;
      log.error("Recording {} of Call-ID {} failed; the call goes on unrecorded", path, callId, e);
      return false;
    }
  }

  private static ByteBuffer header(long dataBytes) {
    int rate = AudioFrames.SAMPLE_RATE;
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

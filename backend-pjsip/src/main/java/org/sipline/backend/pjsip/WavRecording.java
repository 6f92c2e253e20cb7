package org.sipline.backend.pjsip;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sipline.core.spi.AudioFrames;

/**
 * A call's received audio as a WAV file (RIFF, PCM 16-bit, mono, at the call's audio rate: 8 kHz
 * for G.711, 16 kHz for G.722 and Opus), named after its Call-ID like every backend's recordings.
 * The header goes out with zero sizes first and is fixed up on {@link #close}, so a recording cut
 * short by a crash still holds its audio. Used by the media pump's thread only.
 */
final class WavRecording implements Closeable {
  private static final int HEADER_BYTES = 44;

  /** The data chunk's size is 32-bit unsigned and the RIFF size adds 36 to it. */
  private static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - 36;

  private static final int MAX_NAME_CHARS = 120;
  private static final int MAX_NUMBERED = 1000;

  private final Path path;
  private final FileChannel file;
  private final int rate;
  private final int frameSamples;
  private final ByteBuffer frame;
  private long dataBytes;

  private WavRecording(Path path, FileChannel file, int rate) throws IOException {
    this.path = path;
    this.file = file;
    this.rate = rate;
    this.frameSamples = AudioFrames.frameSamples(rate);
    this.frame = ByteBuffer.allocate(frameSamples * 2).order(ByteOrder.LITTLE_ENDIAN);
    file.write(header(0), 0);
    file.position(HEADER_BYTES);
  }

  /**
   * Creates {@code <Call-ID>.wav} in {@code dir} (characters outside {@code [A-Za-z0-9._-]}
   * replaced by '_'); a second recording of the same Call-ID gets {@code -1}, {@code -2}, ...
   * instead of overwriting the first. The file's rate is {@code rate} (the call's audio rate).
   */
  static WavRecording create(Path dir, String callId, int rate) throws IOException {
    String base = fileNameFor(callId);
    for (int n = 0; n <= MAX_NUMBERED; n++) {
      Path candidate = dir.resolve(n == 0 ? base + ".wav" : base + "-" + n + ".wav");
      try {
        FileChannel ch =
            FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
          return new WavRecording(candidate, ch, rate);
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
      } catch (FileAlreadyExistsException e) {
        // numbered name next
      }
    }
    throw new IOException(MAX_NUMBERED + " recordings of Call-ID " + callId + " already in " + dir);
  }

  static String fileNameFor(String callId) {
    String safe = callId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.isEmpty() || safe.startsWith(".")) {
      safe = "call" + safe;
    }
    return safe.length() > MAX_NAME_CHARS ? safe.substring(0, MAX_NAME_CHARS) : safe;
  }

  Path path() {
    return path;
  }

  /** Appends samples; past WAV's 4 GiB limit the file simply stops growing. */
  void write(short[] pcm, int offset, int length) throws IOException {
    if (length > frameSamples) {
      throw new IllegalArgumentException("frame of " + length + " samples > " + frameSamples);
    }
    if (dataBytes + 2L * length > MAX_DATA_BYTES) {
      return;
    }
    frame.clear();
    for (int i = offset; i < offset + length; i++) {
      frame.putShort(pcm[i]);
    }
    frame.flip();
    while (frame.hasRemaining()) {
      file.write(frame);
    }
    dataBytes += 2L * length;
  }

  @Override
  public void close() throws IOException {
    try {
      file.write(header(dataBytes), 0);
    } finally {
      file.close();
    }
  }

  private ByteBuffer header(long dataBytes) {
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.put(new byte[] {'R', 'I', 'F', 'F'})
        .putInt((int) (36 + dataBytes))
        .put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '})
        .putInt(16)
        .putShort((short) 1) // PCM
        .putShort((short) 1) // mono
        .putInt(rate)
        .putInt(rate * 2) // byte rate
        .putShort((short) 2) // block align
        .putShort((short) 16)
        .put(new byte[] {'d', 'a', 't', 'a'})
        .putInt((int) dataBytes);
    return h.flip();
  }
}

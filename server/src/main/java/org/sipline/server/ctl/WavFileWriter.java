package org.sipline.server.ctl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes mono 16-bit PCM into a RIFF/WAVE file as it arrives. The sizes in the header are only
 * known at the end, so they are written by {@link #close()}; until then the header says 0.
 */
final class WavFileWriter implements AutoCloseable {
  private static final int HEADER = 44;

  private final FileChannel file;
  private int sampleRate;
  private long dataBytes;

  WavFileWriter(Path path, int sampleRate) throws IOException {
    this.file =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    this.sampleRate = sampleRate;
    writeHeader();
  }

  /**
   * Sets the rate the header states: known only once the stream is open (the call's own rate),
   * after the file was created to prove it can be written. Before the first sample only.
   */
  void sampleRate(int rate) {
    if (dataBytes > 0) {
      throw new IllegalStateException("the rate of " + samples() + " samples already written");
    }
    this.sampleRate = rate;
  }

  /** Appends little-endian 16-bit samples. */
  void write(byte[] pcm) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(pcm);
    while (b.hasRemaining()) {
      file.write(b, HEADER + dataBytes + b.position());
    }
    dataBytes += pcm.length;
  }

  long samples() {
    return dataBytes / 2;
  }

  /** Writes the final sizes into the header and closes the file. */
  @Override
  public void close() throws IOException {
    try {
      writeHeader();
    } finally {
      file.close();
    }
  }

  private void writeHeader() throws IOException {
    ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    h.putInt((int) Math.min(0xFFFFFFFFL, 36 + dataBytes));
    h.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    h.putInt(16); // fmt chunk size
    h.putShort((short) 1); // PCM
    h.putShort((short) 1); // mono
    h.putInt(sampleRate);
    h.putInt(sampleRate * 2); // byte rate
    h.putShort((short) 2); // block align
    h.putShort((short) 16); // bits per sample
    h.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    h.putInt((int) Math.min(0xFFFFFFFFL, dataBytes));
    h.flip();
    while (h.hasRemaining()) {
      file.write(h, h.position());
    }
  }
}

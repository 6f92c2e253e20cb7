package org.sipline.testing.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes mono 16-bit PCM WAV files: audio sources for peers (baresip's aufile module takes only
 * this format, at the codec's rate) and reference signals for tests. Read them back with {@link
 * org.sipline.core.audio.WavReader}.
 */
public final class PcmWav {
  private static final int HEADER_BYTES = 44;

  /** Silence is written in blocks of this many samples, so long files need no big array. */
  private static final int BLOCK_SAMPLES = 8000;

  private PcmWav() {}

  /** Writes {@code samples} as a mono 16-bit PCM WAV file at {@code sampleRate}. */
  public static void write(Path file, int sampleRate, short[] samples) {
    ByteBuffer data = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : samples) {
      data.putShort(s);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header(sampleRate, samples.length));
      out.write(data.array());
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }

  /** Writes {@code length} of digital silence. */
  public static void writeSilence(Path file, int sampleRate, Duration length) {
    long samples = length.toMillis() * sampleRate / 1000;
    if (samples < 1 || samples > Integer.MAX_VALUE / 2 - HEADER_BYTES) {
      throw new IllegalArgumentException(
          "silence of "
              + length
              + " at "
              + sampleRate
              + " Hz is "
              + samples
              + " samples; must be 1.."
              + (Integer.MAX_VALUE / 2 - HEADER_BYTES));
    }
    byte[] block = new byte[BLOCK_SAMPLES * 2];
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header(sampleRate, (int) samples));
      for (long left = samples; left > 0; left -= BLOCK_SAMPLES) {
        out.write(block, 0, (int) Math.min(left, BLOCK_SAMPLES) * 2);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }

  private static byte[] header(int sampleRate, int samples) {
    if (sampleRate < 1 || sampleRate > 192_000) {
      throw new IllegalArgumentException("sampleRate out of range 1-192000: " + sampleRate);
    }
    int dataBytes = samples * 2;
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(HEADER_BYTES - 8 + dataBytes);
    h.put(new byte[] {'W', 'A', 'V', 'E'});
    h.put(new byte[] {'f', 'm', 't', ' '})
        .putInt(16)
        .putShort((short) 1) // PCM
        .putShort((short) 1) // mono
        .putInt(sampleRate)
        .putInt(sampleRate * 2) // byte rate
        .putShort((short) 2) // block align
        .putShort((short) 16); // bits per sample
    h.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
    return h.array();
  }
}

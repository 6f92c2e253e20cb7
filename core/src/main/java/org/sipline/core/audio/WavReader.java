package org.sipline.core.audio;

import java.util.Objects;

/**
 * Parses a RIFF/WAVE file into mono 16-bit PCM ({@link WavAudio}).
 *
 * <p>Accepted: WAVE format tag 1 (PCM, 8-bit unsigned or 16-bit little-endian), 7 (µ-law) and 6
 * (A-law), also as WAVE_FORMAT_EXTENSIBLE with the matching SubFormat GUID; one or two channels
 * (two are averaged into one); {@value #MIN_SAMPLE_RATE}..{@value #MAX_SAMPLE_RATE} Hz.
 *
 * <p>The parser is strict so that what plays is exactly what the file says, never a guess:
 *
 * <ul>
 *   <li>every size is checked against the bytes present before anything is read or allocated; a
 *       RIFF or data chunk that claims more bytes than are there (a truncated file, or a streaming
 *       writer's placeholder size) is refused;
 *   <li>chunks are walked in order with their odd-size padding; unknown chunks are skipped; the fmt
 *       chunk must come before the data chunk and appear once; the walk stops at the data chunk, so
 *       whatever follows it (LIST, id3 chunks) is not looked at, nor are bytes after the RIFF
 *       chunk's end;
 *   <li>the data chunk must hold whole sample frames and at least one ("no samples" otherwise);
 *   <li>the fmt chunk's block align must match channels × sample size; its byte rate is redundant
 *       and ignored.
 * </ul>
 *
 * Whatever the bytes, the only exception is {@link WavFormatException}, naming the problem.
 */
public final class WavReader {
  /** The lowest sample rate accepted, in Hz. */
  public static final int MIN_SAMPLE_RATE = 1000;

  /** The highest sample rate accepted, in Hz. */
  public static final int MAX_SAMPLE_RATE = 192_000;

  private static final int RIFF_HEADER = 12;
  private static final int CHUNK_HEADER = 8;

  private WavReader() {}

  /**
   * Decodes a whole WAV file.
   *
   * @throws WavFormatException when the bytes are not a WAV file this reader accepts
   * @throws NullPointerException when {@code bytes} is null
   * @param bytes the file's bytes
   * @return the decoded audio
   */
  public static WavAudio read(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < RIFF_HEADER) {
      throw new WavFormatException(
          "too short for a RIFF/WAVE header: " + bytes.length + " bytes < " + RIFF_HEADER);
    }
    checkRiffHeader(bytes);
    long riffSize = Bytes.u32(bytes, 4);
    long follow = bytes.length - 8L;
    if (riffSize > follow) {
      throw new WavFormatException(
          "RIFF chunk claims " + riffSize + " bytes but " + follow + " follow: file truncated");
    }
    int end = (int) (8 + riffSize);
    long pos = RIFF_HEADER;
    FmtChunk fmt = null;
    while (pos < end) {
      int header = (int) pos;
      if (end - header < CHUNK_HEADER) {
        throw new WavFormatException(
            "truncated chunk header at offset "
                + header
                + ": "
                + (end - header)
                + " bytes < "
                + CHUNK_HEADER);
      }
      String id = Bytes.fourCc(bytes, header);
      long size = Bytes.u32(bytes, header + 4);
      int body = header + CHUNK_HEADER;
      int remaining = end - body;
      if (size > remaining) {
        throw new WavFormatException(
            Bytes.chunkName(id) + " chunk claims " + size + " bytes but " + remaining + " remain");
      }
      if (id.equals("fmt ")) {
        if (fmt != null) {
          throw new WavFormatException("second fmt chunk at offset " + header);
        }
        fmt = FmtChunk.parse(bytes, body, (int) size);
      } else if (id.equals("data")) {
        if (fmt == null) {
          throw new WavFormatException(
              "data chunk at offset " + header + " comes before any fmt chunk");
        }
        return decode(fmt, bytes, body, (int) size);
      }
      // Chunks are padded to an even size; the pad byte is not counted in the size field.
      pos = body + size + (size & 1);
    }
    throw new WavFormatException(fmt == null ? "no fmt chunk" : "no data chunk");
  }

  private static void checkRiffHeader(byte[] bytes) {
    String magic = Bytes.fourCc(bytes, 0);
    if (!magic.equals("RIFF")) {
      if (magic.equals("RIFX")) {
        throw new WavFormatException("big-endian RIFX files not supported: use RIFF");
      }
      if (magic.equals("RF64")) {
        throw new WavFormatException("RF64 files not supported: use RIFF");
      }
      throw new WavFormatException("not a RIFF file: starts with " + Bytes.describe(bytes, 0, 4));
    }
    String form = Bytes.fourCc(bytes, 8);
    if (!form.equals("WAVE")) {
      throw new WavFormatException(
          "RIFF form type is " + Bytes.describe(bytes, 8, 4) + ", not WAVE");
    }
  }

  private static WavAudio decode(FmtChunk fmt, byte[] bytes, int offset, int size) {
    if (size == 0) {
      throw new WavFormatException("no samples: the data chunk is empty");
    }
    if (size % fmt.blockAlign() != 0) {
      throw new WavFormatException(
          "data chunk size "
              + size
              + " is not a multiple of the sample frame size "
              + fmt.blockAlign()
              + " ("
              + fmt.channels()
              + " channel(s) x "
              + fmt.encoding().bitsPerSample()
              + " bits)");
    }
    short[] samples = new short[size / fmt.blockAlign()];
    SampleDecoding.decode(fmt.encoding(), fmt.channels(), bytes, offset, samples);
    return new WavAudio(fmt.sampleRate(), fmt.channels(), fmt.encoding(), samples);
  }
}

package org.sipline.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.sipline.core.audio.G711;
import org.sipline.core.audio.WavEncoding;

/**
 * Builds WAV files for tests: well-formed ones for playback, broken ones for the readers.
 *
 * <p>The shortcuts write well-formed files; {@link #builder} can also write broken ones (any format
 * tag, bit depth, block align, fmt size, RIFF or data size) and add extra chunks. Samples are
 * 16-bit signed, interleaved when there are two channels; the encoder quantises them to the chosen
 * encoding (8-bit PCM keeps the top 8 bits).
 */
public final class TestWavs {
  private TestWavs() {}

  /**
   * A 16-bit PCM WAV file.
   *
   * @param rate the sample rate in Hz
   * @param channels the channel count
   * @param interleaved the samples, channels interleaved
   * @return the file
   */
  public static byte[] pcm16(int rate, int channels, short[] interleaved) {
    return builder(WavEncoding.PCM_S16LE, rate, channels).samples(interleaved).build();
  }

  /**
   * An 8-bit unsigned PCM WAV file.
   *
   * @param rate the sample rate in Hz
   * @param channels the channel count
   * @param interleaved the samples, channels interleaved, as 16-bit values
   * @return the file
   */
  public static byte[] pcm8(int rate, int channels, short[] interleaved) {
    return builder(WavEncoding.PCM_U8, rate, channels).samples(interleaved).build();
  }

  /**
   * A G.711 μ-law WAV file.
   *
   * @param rate the sample rate in Hz
   * @param channels the channel count
   * @param interleaved the samples, channels interleaved, as 16-bit values
   * @return the file
   */
  public static byte[] ulaw(int rate, int channels, short[] interleaved) {
    return builder(WavEncoding.ULAW, rate, channels).samples(interleaved).build();
  }

  /**
   * A G.711 A-law WAV file.
   *
   * @param rate the sample rate in Hz
   * @param channels the channel count
   * @param interleaved the samples, channels interleaved, as 16-bit values
   * @return the file
   */
  public static byte[] alaw(int rate, int channels, short[] interleaved) {
    return builder(WavEncoding.ALAW, rate, channels).samples(interleaved).build();
  }

  /**
   * A 16-bit PCM WAV of a sine tone, the same in every channel.
   *
   * @param amplitude peak as a fraction of full scale, 0..1
   * @param rate the sample rate in Hz
   * @param channels the channel count
   * @param hz the tone's frequency
   * @param millis its duration in milliseconds
   * @return the file
   */
  public static byte[] sine(int rate, int channels, double hz, int millis, double amplitude) {
    short[] mono = sineSamples(rate, hz, millis, amplitude);
    short[] interleaved = new short[mono.length * channels];
    for (int i = 0; i < mono.length; i++) {
      for (int c = 0; c < channels; c++) {
        interleaved[i * channels + c] = mono[i];
      }
    }
    return pcm16(rate, channels, interleaved);
  }

  /**
   * {@code rate * millis / 1000} samples of a sine tone; amplitude as a fraction of full scale.
   *
   * @param rate the sample rate in Hz
   * @param hz the tone's frequency
   * @param millis its duration in milliseconds
   * @param amplitude the peak as a fraction of full scale, 0..1
   * @return the samples
   */
  public static short[] sineSamples(int rate, double hz, int millis, double amplitude) {
    short[] out = new short[(int) ((long) rate * millis / 1000)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return out;
  }

  /**
   * A builder for a WAV of {@code encoding}; the fmt fields follow from it unless overridden.
   *
   * @param encoding how the samples are stored
   * @param rate the sample rate in Hz
   * @param channels the channel count
   * @return the builder
   */
  public static Builder builder(WavEncoding encoding, int rate, int channels) {
    return new Builder(encoding, rate, channels);
  }

  /** Assembles RIFF(WAVE, [before fmt], fmt, [before data], data, [after data]). */
  public static final class Builder {
    private final WavEncoding encoding;
    private int formatTag;
    private int channels;
    private long sampleRate;
    private int bitsPerSample;
    private int blockAlign;
    private boolean extensible;
    private int fmtSize = -1;
    private byte[] data = new byte[0];
    private long dataSize = -1;
    private long riffSize = -1;
    private final List<byte[]> beforeFmt = new ArrayList<>();
    private final List<byte[]> beforeData = new ArrayList<>();
    private final List<byte[]> afterData = new ArrayList<>();

    private Builder(WavEncoding encoding, int rate, int channels) {
      this.encoding = encoding;
      this.formatTag = encoding.formatTag();
      this.channels = channels;
      this.sampleRate = rate;
      this.bitsPerSample = encoding.bitsPerSample();
      this.blockAlign = channels * encoding.bytesPerSample();
    }

    /**
     * Encodes interleaved 16-bit samples as the builder's encoding into the data chunk.
     *
     * @param interleaved the samples, channels interleaved
     * @return this builder
     */
    public Builder samples(short[] interleaved) {
      int width = encoding.bytesPerSample();
      byte[] out = new byte[interleaved.length * width];
      for (int i = 0; i < interleaved.length; i++) {
        short s = interleaved[i];
        switch (encoding) {
          case PCM_U8 -> out[i] = (byte) ((s >> 8) + 128);
          case PCM_S16LE -> {
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
          }
          case ULAW -> out[i] = G711.linearToUlaw(s);
          case ALAW -> out[i] = G711.linearToAlaw(s);
        }
      }
      this.data = out;
      return this;
    }

    /**
     * The data chunk's body as raw bytes.
     *
     * @param raw the bytes
     * @return this builder
     */
    public Builder data(byte[] raw) {
      this.data = raw.clone();
      return this;
    }

    /**
     * Writes WAVE_FORMAT_EXTENSIBLE with the encoding's tag as SubFormat GUID.
     *
     * @param on true for WAVE_FORMAT_EXTENSIBLE
     * @return this builder
     */
    public Builder extensible(boolean on) {
      this.extensible = on;
      return this;
    }

    /**
     * Overrides the fmt chunk's format tag.
     *
     * @param tag the tag written
     * @return this builder
     */
    public Builder formatTag(int tag) {
      this.formatTag = tag;
      return this;
    }

    /**
     * Overrides the fmt chunk's channel count.
     *
     * @param n the count written
     * @return this builder
     */
    public Builder channels(int n) {
      this.channels = n;
      return this;
    }

    /**
     * Overrides the fmt chunk's sample rate.
     *
     * @param hz the rate written
     * @return this builder
     */
    public Builder sampleRate(long hz) {
      this.sampleRate = hz;
      return this;
    }

    /**
     * Overrides the fmt chunk's bits per sample.
     *
     * @param bits the bits written
     * @return this builder
     */
    public Builder bitsPerSample(int bits) {
      this.bitsPerSample = bits;
      return this;
    }

    /**
     * Overrides the fmt chunk's block alignment.
     *
     * @param align the alignment written
     * @return this builder
     */
    public Builder blockAlign(int align) {
      this.blockAlign = align;
      return this;
    }

    /**
     * Cuts the fmt chunk body to (or pads it with zeros up to) {@code size} bytes.
     *
     * @param size the fmt body's size
     * @return this builder
     */
    public Builder fmtSize(int size) {
      this.fmtSize = size;
      return this;
    }

    /**
     * Writes {@code size} into the data chunk header whatever the body holds.
     *
     * @param size the size written
     * @return this builder
     */
    public Builder dataSize(long size) {
      this.dataSize = size;
      return this;
    }

    /**
     * Writes {@code size} into the RIFF header whatever follows.
     *
     * @param size the size written
     * @return this builder
     */
    public Builder riffSize(long size) {
      this.riffSize = size;
      return this;
    }

    /**
     * Puts a chunk between the RIFF header and the fmt chunk.
     *
     * @param id the chunk's four-character id
     * @param body its body
     * @return this builder
     */
    public Builder chunkBeforeFmt(String id, byte[] body) {
      beforeFmt.add(chunk(id, body, body.length));
      return this;
    }

    /**
     * Puts a chunk between the fmt chunk and the data chunk.
     *
     * @param id the chunk's four-character id
     * @param body its body
     * @return this builder
     */
    public Builder chunkBeforeData(String id, byte[] body) {
      beforeData.add(chunk(id, body, body.length));
      return this;
    }

    /**
     * Puts a chunk after the data chunk.
     *
     * @param id the chunk's four-character id
     * @param body its body
     * @return this builder
     */
    public Builder chunkAfterData(String id, byte[] body) {
      afterData.add(chunk(id, body, body.length));
      return this;
    }

    /**
     * The WAV file's bytes.
     *
     * @return the file
     */
    public byte[] build() {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
      beforeFmt.forEach(body::writeBytes);
      byte[] fmt = fmtBody();
      body.writeBytes(chunk("fmt ", fmt, fmt.length));
      beforeData.forEach(body::writeBytes);
      body.writeBytes(chunk("data", data, dataSize >= 0 ? dataSize : data.length));
      afterData.forEach(body::writeBytes);
      byte[] content = body.toByteArray();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
      writeU32(out, riffSize >= 0 ? riffSize : content.length);
      out.writeBytes(content);
      return out.toByteArray();
    }

    private byte[] fmtBody() {
      ByteArrayOutputStream f = new ByteArrayOutputStream();
      writeU16(f, extensible ? 0xFFFE : formatTag);
      writeU16(f, channels);
      writeU32(f, sampleRate);
      writeU32(f, sampleRate * blockAlign);
      writeU16(f, blockAlign);
      writeU16(f, bitsPerSample);
      if (extensible) {
        writeU16(f, 22);
        writeU16(f, bitsPerSample);
        writeU32(f, channels == 1 ? 0x4 : 0x3);
        writeU16(f, formatTag);
        f.writeBytes(
            new byte[] {
              0x00,
              0x00,
              0x00,
              0x00,
              0x10,
              0x00,
              (byte) 0x80,
              0x00,
              0x00,
              (byte) 0xAA,
              0x00,
              0x38,
              (byte) 0x9B,
              0x71
            });
      }
      byte[] natural = f.toByteArray();
      if (fmtSize < 0) {
        return natural;
      }
      byte[] sized = new byte[fmtSize];
      System.arraycopy(natural, 0, sized, 0, Math.min(fmtSize, natural.length));
      return sized;
    }
  }

  /**
   * A chunk with the given header size; odd bodies get their pad byte.
   *
   * @param id the chunk's four-character id
   * @param body its body
   * @param declaredSize the size its header states
   * @return the chunk's bytes
   */
  public static byte[] chunk(String id, byte[] body, long declaredSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
    writeU32(out, declaredSize);
    out.writeBytes(body);
    if ((body.length & 1) == 1) {
      out.write(0);
    }
    return out.toByteArray();
  }

  private static void writeU16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write((v >> 8) & 0xFF);
  }

  private static void writeU32(ByteArrayOutputStream out, long v) {
    writeU16(out, (int) (v & 0xFFFF));
    writeU16(out, (int) ((v >> 16) & 0xFFFF));
  }
}

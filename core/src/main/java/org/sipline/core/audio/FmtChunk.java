package org.sipline.core.audio;

/**
 * The parsed and checked fmt chunk: one of the accepted encodings, 1–2 channels, a sane rate and a
 * block align that matches them.
 */
record FmtChunk(WavEncoding encoding, int channels, int sampleRate, int blockAlign) {
  private static final String SUPPORTED = "use 8/16-bit PCM, mu-law or A-law";
  private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
  private static final int BASIC_SIZE = 16;
  private static final int EXTENSIBLE_SIZE = 40;

  /**
   * Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID that wraps a plain format tag ({@code
   * XXXXXXXX-0000-0010-8000-00AA00389B71}, first three fields little-endian).
   */
  private static final byte[] SUBFORMAT_GUID_TAIL = {
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
  };

  /** Reads the chunk body {@code bytes[off, off + size)}, which the caller has bounds-checked. */
  static FmtChunk parse(byte[] bytes, int off, int size) {
    if (size < BASIC_SIZE) {
      throw new WavFormatException("fmt chunk size " + size + " < " + BASIC_SIZE);
    }
    int tag = Bytes.u16(bytes, off);
    int channels = Bytes.u16(bytes, off + 2);
    long sampleRate = Bytes.u32(bytes, off + 4);
    int blockAlign = Bytes.u16(bytes, off + 12);
    int bits = Bytes.u16(bytes, off + 14);
    if (tag == WAVE_FORMAT_EXTENSIBLE) {
      tag = extensibleSubFormat(bytes, off, size, bits);
    }
    WavEncoding encoding = encoding(tag, bits);
    if (channels < 1 || channels > 2) {
      throw new WavFormatException(channels + " channels not supported: use mono or stereo");
    }
    if (sampleRate < WavReader.MIN_SAMPLE_RATE || sampleRate > WavReader.MAX_SAMPLE_RATE) {
      throw new WavFormatException(
          "sample rate "
              + sampleRate
              + " Hz outside "
              + WavReader.MIN_SAMPLE_RATE
              + ".."
              + WavReader.MAX_SAMPLE_RATE);
    }
    int expectedAlign = channels * encoding.bytesPerSample();
    if (blockAlign != expectedAlign) {
      throw new WavFormatException(
          "block align "
              + blockAlign
              + " != "
              + channels
              + " channel(s) x "
              + encoding.bytesPerSample()
              + " byte(s)");
    }
    return new FmtChunk(encoding, channels, (int) sampleRate, blockAlign);
  }

  private static int extensibleSubFormat(byte[] bytes, int off, int size, int bits) {
    if (size < EXTENSIBLE_SIZE) {
      throw new WavFormatException(
          "WAVE_FORMAT_EXTENSIBLE fmt chunk size " + size + " < " + EXTENSIBLE_SIZE);
    }
    int extensionSize = Bytes.u16(bytes, off + 16);
    if (extensionSize < EXTENSIBLE_SIZE - BASIC_SIZE - 2) {
      throw new WavFormatException(
          "WAVE_FORMAT_EXTENSIBLE extension size "
              + extensionSize
              + " < "
              + (EXTENSIBLE_SIZE - BASIC_SIZE - 2));
    }
    int validBits = Bytes.u16(bytes, off + 18);
    if (validBits > bits) {
      throw new WavFormatException(
          "valid bits per sample " + validBits + " > container size " + bits);
    }
    int guid = off + 24;
    for (int i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
      if (bytes[guid + 2 + i] != SUBFORMAT_GUID_TAIL[i]) {
        throw new WavFormatException(
            "WAVE_FORMAT_EXTENSIBLE sub-format GUID "
                + Bytes.hex(bytes, guid, 16)
                + " not supported: use PCM, mu-law or A-law");
      }
    }
    return Bytes.u16(bytes, guid);
  }

  private static WavEncoding encoding(int tag, int bits) {
    return switch (tag) {
      case 1 ->
          switch (bits) {
            case 8 -> WavEncoding.PCM_U8;
            case 16 -> WavEncoding.PCM_S16LE;
            default -> throw new WavFormatException(bits + "-bit PCM not supported: " + SUPPORTED);
          };
      case 7 -> g711(WavEncoding.ULAW, "mu-law", bits);
      case 6 -> g711(WavEncoding.ALAW, "A-law", bits);
      default -> throw new WavFormatException(formatName(tag) + " not supported: " + SUPPORTED);
    };
  }

  private static WavEncoding g711(WavEncoding encoding, String name, int bits) {
    if (bits != 8) {
      throw new WavFormatException(
          name + " with " + bits + " bits per sample not supported: G.711 has 8");
    }
    return encoding;
  }

  private static String formatName(int tag) {
    String known =
        switch (tag) {
          case 0x0002 -> "Microsoft ADPCM";
          case 0x0003 -> "IEEE float";
          case 0x0011 -> "IMA ADPCM";
          case 0x0031 -> "GSM 6.10";
          case 0x0050 -> "MPEG";
          case 0x0055 -> "MPEG Layer 3";
          default -> null;
        };
    String number = String.format("format tag 0x%04X", tag);
    return known == null ? number : known + " (" + number + ")";
  }
}

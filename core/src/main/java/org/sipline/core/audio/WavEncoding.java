package org.sipline.core.audio;

/** How the samples of a WAV file are stored; the kinds {@link WavReader} accepts. */
public enum WavEncoding {
  /** Linear PCM, 8 bits, unsigned (128 is silence). WAVE format tag 1. */
  PCM_U8(1, 8),
  /** Linear PCM, 16 bits, signed, little-endian. WAVE format tag 1. */
  PCM_S16LE(1, 16),
  /** G.711 µ-law, 8 bits. WAVE format tag 7. */
  ULAW(7, 8),
  /** G.711 A-law, 8 bits. WAVE format tag 6. */
  ALAW(6, 8);

  private final int formatTag;
  private final int bitsPerSample;

  WavEncoding(int formatTag, int bitsPerSample) {
    this.formatTag = formatTag;
    this.bitsPerSample = bitsPerSample;
  }

  /**
   * The WAVE format tag (or the SubFormat code of WAVE_FORMAT_EXTENSIBLE).
   *
   * @return the tag
   */
  public int formatTag() {
    return formatTag;
  }

  /**
   * Bits per stored sample.
   *
   * @return 8 or 16
   */
  public int bitsPerSample() {
    return bitsPerSample;
  }

  /**
   * Bytes per stored sample.
   *
   * @return 1 or 2
   */
  public int bytesPerSample() {
    return bitsPerSample / 8;
  }
}

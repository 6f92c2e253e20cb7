package org.sipline.core.audio;

import java.util.Objects;

/**
 * ITU-T G.722 decoder at 64 kbit/s (mode 1): one byte per pair of 16 kHz, 16-bit PCM samples.
 * Stateful: one decoder per incoming stream, fed consecutive code words; {@link #reset()} starts a
 * new stream.
 */
public final class G722Decoder {
  /** INVQAL/INVQBL's 4-bit inverse quantiser: the difference per code, times DETL / 2^15. */
  static final int[] QM4 = {
    0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584,
    1200, 0
  };

  /** INVQBL's 6-bit inverse quantiser, the full resolution of mode 1's lower band. */
  private static final int[] QM6 = {
    -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232,
    -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776,
    -2400, -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
    10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
    1688, 1360, 1040, 728, 432, 136, -432, -136
  };

  /** INVQAH/INVQBH's 2-bit inverse quantiser for the higher band. */
  static final int[] QM2 = {-7408, -1616, 7408, 1616};

  private final G722Qmf qmf = new G722Qmf();
  private final G722Band low = new G722Band(true);
  private final G722Band high = new G722Band(false);

  /** Forgets the stream so far: the next code word is decoded from the standard's reset state. */
  public void reset() {
    qmf.reset();
    low.reset();
    high.reset();
  }

  /**
   * Decodes {@code bytes} code words from {@code src[srcOffset..]} into {@code 2 * bytes} samples
   * at {@code pcm[pcmOffset..]}.
   *
   * @param src the code words
   * @param srcOffset where the first code word is in {@code src}
   * @param pcm where the samples go
   * @param pcmOffset where the first sample goes in {@code pcm}
   * @param bytes how many code words to decode
   */
  public void decode(byte[] src, int srcOffset, short[] pcm, int pcmOffset, int bytes) {
    Objects.checkFromIndexSize(srcOffset, bytes, src.length);
    Objects.checkFromIndexSize(pcmOffset, 2 * bytes, pcm.length);
    for (int i = 0; i < bytes; i++) {
      int word = src[srcOffset + i] & 0xFF;
      int lowCode = word & 0x3F;
      int highCode = word >> 6;

      // INVQBL: the output uses all 6 bits; INVQAL (predictor) only the top 4, as the encoder.
      int lowDet = low.scale();
      int rl = low.estimate() + ((lowDet * QM6[lowCode]) >> 15);
      rl = Math.max(-16384, Math.min(16383, rl));
      low.update(lowCode >> 2, (lowDet * QM4[lowCode >> 2]) >> 15);

      // INVQAH and RECONS for the higher band.
      int highDet = high.scale();
      int dh = (highDet * QM2[highCode]) >> 15;
      int rh = Math.max(-16384, Math.min(16383, high.estimate() + dh));
      high.update(highCode, dh);

      int pair = qmf.join(rl, rh);
      pcm[pcmOffset + 2 * i] = (short) pair;
      pcm[pcmOffset + 2 * i + 1] = (short) (pair >> 16);
    }
  }
}

package org.sipline.core.audio;

import java.util.Objects;

/**
 * ITU-T G.722 encoder at 64 kbit/s (mode 1): sub-band ADPCM of 16 kHz, 16-bit PCM into one byte per
 * pair of samples — the lower band's 6-bit code in bits 0–5, the higher band's 2-bit code in bits
 * 6–7, as RFC 3551 §4.5.2 carries it. Stateful: one encoder per outgoing stream, fed consecutive
 * samples; {@link #reset()} starts a new stream.
 */
public final class G722Encoder {
  /** QUANTL's decision levels for the magnitude of the lower band's difference (times DETL). */
  private static final int[] Q6 = {
    0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023,
    1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919
  };

  /** QUANTL's 6-bit codes by quantiser interval, for negative and for positive differences. */
  private static final int[] ILN = {
    0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11,
    10, 9, 8, 7, 6, 5, 4
  };

  private static final int[] ILP = {
    0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39,
    38, 37, 36, 35, 34, 33, 32
  };

  private final G722Qmf qmf = new G722Qmf();
  private final G722Band low = new G722Band(true);
  private final G722Band high = new G722Band(false);

  /** Forgets the stream so far: the next sample starts from the standard's reset state. */
  public void reset() {
    qmf.reset();
    low.reset();
    high.reset();
  }

  /**
   * Encodes {@code samples} 16 kHz samples from {@code pcm[pcmOffset..]} into {@code samples / 2}
   * bytes at {@code dst[dstOffset..]}.
   *
   * @param pcm the 16 kHz samples
   * @param pcmOffset where the first sample is in {@code pcm}
   * @param dst where the code words go
   * @param dstOffset where the first code word goes in {@code dst}
   * @param samples how many samples to encode, an even number
   * @throws IllegalArgumentException if {@code samples} is odd: a code word covers two samples
   */
  public void encode(short[] pcm, int pcmOffset, byte[] dst, int dstOffset, int samples) {
    if ((samples & 1) != 0) {
      throw new IllegalArgumentException("samples " + samples + " is odd: G.722 codes pairs");
    }
    Objects.checkFromIndexSize(pcmOffset, samples, pcm.length);
    Objects.checkFromIndexSize(dstOffset, samples / 2, dst.length);
    for (int i = 0; i < samples; i += 2) {
      int bands = qmf.split(pcm[pcmOffset + i], pcm[pcmOffset + i + 1]);
      int lowCode = encodeLow((short) bands);
      int highCode = encodeHigh(bands >> 16);
      dst[dstOffset + i / 2] = (byte) ((highCode << 6) | lowCode);
    }
  }

  private int encodeLow(int xl) {
    // SUBTRA and QUANTL: the difference's magnitude (one's complement for negatives) against the
    // decision levels scaled by DETL.
    int el = G722Band.sat(xl - low.estimate());
    int magnitude = el >= 0 ? el : -(el + 1);
    int det = low.scale();
    int interval = interval(magnitude, det);
    int code = el < 0 ? ILN[interval] : ILP[interval];
    // INVQAL: the predictor adapts on the 4-bit truncation, as the decoder can at any rate.
    int code4 = code >> 2;
    int dq = (det * G722Decoder.QM4[code4]) >> 15;
    low.update(code4, dq);
    return code;
  }

  /**
   * QUANTL's interval for each level {@code v} of {@link #interval}: 1 + how many of Q6[1..29] are
   * at most {@code v}; from {@code Q6[29]} on, 30.
   */
  private static final byte[] INTERVAL_AT = new byte[Q6[Q6.length - 1] + 1];

  static {
    int interval = 1;
    for (int v = 0; v < INTERVAL_AT.length; v++) {
      while (interval < Q6.length && Q6[interval] <= v) {
        interval++;
      }
      INTERVAL_AT[v] = (byte) interval;
    }
  }

  /**
   * QUANTL's interval: the first {@code i} in 1..29 whose level {@code (Q6[i] · det) >> 12} is
   * above {@code magnitude}, else 30 — the standard's walk up the table, done as one division and
   * one table look-up, without the walk's data-dependent branches (this runs per pair of samples of
   * every G.722 call on the pacer's thread). With {@code v = ((magnitude + 1) · 4096 − 1) / det},
   * {@code (Q6[i] · det) >> 12 <= magnitude} holds exactly when {@code Q6[i] <= v} (det is
   * positive), so the interval is 1 + the count of levels at most {@code v}.
   */
  static int interval(int magnitude, int det) {
    int v = (((magnitude + 1) << 12) - 1) / det;
    return INTERVAL_AT[Math.min(v, INTERVAL_AT.length - 1)];
  }

  private int encodeHigh(int xh) {
    int eh = G722Band.sat(xh - high.estimate());
    int magnitude = eh >= 0 ? eh : -(eh + 1);
    int det = high.scale();
    boolean outer = magnitude >= (564 * det) >> 12;
    // 0 and 1: negative outer and inner; 2 and 3: positive outer and inner.
    int code = eh < 0 ? (outer ? 0 : 1) : (outer ? 2 : 3);
    int dq = (det * G722Decoder.QM2[code]) >> 15;
    high.update(code, dq);
    return code;
  }
}

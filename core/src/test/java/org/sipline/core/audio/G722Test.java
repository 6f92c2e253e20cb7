package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * G.722 round trips keep wideband audio: a sweep comes back correlated, a tone above 4 kHz (which
 * G.711's 8 kHz sampling cannot carry at all) keeps its level. Bit exactness against another
 * implementation is checked in the jainsip backend's {@code G722SpandspCrossCheckTest}.
 */
class G722Test {
  private static final int RATE = 16000;

  /**
   * The delay of the analysis plus synthesis QMF pair, in 16 kHz samples: each 24-tap filter delays
   * by 11.5 samples, less the one sample the decimation's phase saves.
   */
  private static final int QMF_DELAY = 22;

  @Test
  void theQuantisersLookUpFindsTheIntervalOfTheStandardsWalkForEveryScaleAndMagnitude() {
    // Every scale factor DETL the lower band can reach (SCALEL of every NBL 0..18432) against every
    // magnitude a 16-bit difference has: the table look-up must pick QUANTL's interval exactly.
    java.util.Set<Integer> scales = new java.util.TreeSet<>();
    int[] ilb = {
      2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774,
          2834,
      2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008
    };
    for (int nb = 0; nb <= 18432; nb++) {
      int shift = 8 - (nb >> 11);
      int mantissa = ilb[(nb >> 6) & 31];
      scales.add((shift < 0 ? mantissa << -shift : mantissa >> shift) << 2);
    }
    int[] q6 = {
      0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940,
      1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919
    };
    int checked = 0;
    for (int det : scales) {
      for (int magnitude = 0; magnitude <= 32768; magnitude++) {
        int walk = 1;
        while (walk < q6.length && magnitude >= (q6[walk] * det) >> 12) {
          walk++;
        }
        if (G722Encoder.interval(magnitude, det) != walk) {
          assertThat(G722Encoder.interval(magnitude, det))
              .as("interval of magnitude %d at scale %d", magnitude, det)
              .isEqualTo(walk);
        }
        checked++;
      }
    }
    assertThat(scales).hasSizeGreaterThan(200); // 246: many NBL share a DETL
    assertThat(checked).isEqualTo(scales.size() * 32769);
  }

  @Test
  void sweepFrom100HzTo7kHzRoundTripsWithCorrelationAbove0_95() {
    short[] sweep = sweep(100, 7000, 2 * RATE, 12000);
    short[] decoded = roundTrip(sweep);

    assertThat(correlation(sweep, decoded, QMF_DELAY)).isGreaterThan(0.95);
  }

  @Test
  void aToneAt6kHzKeepsItsLevelWithin2dB() {
    short[] tone = tone(6000, RATE, 10000);
    short[] decoded = roundTrip(tone);

    // Skip the first 100 ms while the scale factors adapt.
    double in = goertzelPower(tone, 1600, RATE - 3200, 6000);
    double out = goertzelPower(decoded, 1600 + QMF_DELAY, RATE - 3200, 6000);
    double db = 10 * Math.log10(out / in);
    assertThat(db).isBetween(-2.0, 2.0);
  }

  @Test
  void aToneAt1kHzLeavesNoImageAbove4kHz() {
    short[] tone = tone(1000, RATE, 10000);
    short[] decoded = roundTrip(tone);

    double wanted = goertzelPower(decoded, 1600, RATE - 3200, 1000);
    double image = goertzelPower(decoded, 1600, RATE - 3200, 7000);
    assertThat(10 * Math.log10(wanted / image)).isGreaterThan(30);
  }

  @Test
  void silenceStaysNearSilent() {
    short[] decoded = roundTrip(new short[RATE]);

    for (short s : decoded) {
      assertThat(Math.abs(s)).isLessThanOrEqualTo(4);
    }
  }

  @Test
  void fullScaleNoiseSaturatesInsteadOfWrapping() {
    SplittableRandom random = new SplittableRandom(7);
    short[] noise = new short[RATE];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (short) random.nextInt(-32768, 32768);
    }

    short[] decoded = roundTrip(noise);

    // A wrapped sum would flip a near-full-scale sample's sign; saturation keeps it at a rail.
    int rails = 0;
    for (short s : decoded) {
      if (s == Short.MAX_VALUE || s == Short.MIN_VALUE) {
        rails++;
      }
    }
    assertThat(rails).isPositive();
    assertThat(correlation(noise, decoded, QMF_DELAY)).isGreaterThan(0.5);
  }

  @Test
  void resetMakesTheCodecRepeatItself() {
    short[] sweep = sweep(300, 3000, 3200, 8000);
    G722Encoder encoder = new G722Encoder();
    byte[] first = new byte[1600];
    byte[] second = new byte[1600];
    encoder.encode(sweep, 0, first, 0, 3200);
    encoder.reset();
    encoder.encode(sweep, 0, second, 0, 3200);
    assertThat(second).isEqualTo(first);

    G722Decoder decoder = new G722Decoder();
    short[] a = new short[3200];
    short[] b = new short[3200];
    decoder.decode(first, 0, a, 0, 1600);
    decoder.reset();
    decoder.decode(first, 0, b, 0, 1600);
    assertThat(b).isEqualTo(a);
  }

  @Test
  void framesEncodedOneByOneEqualOneLongEncode() {
    short[] sweep = sweep(200, 7500, 3200, 9000);
    byte[] whole = new byte[1600];
    new G722Encoder().encode(sweep, 0, whole, 0, 3200);

    G722Encoder framed = new G722Encoder();
    byte[] pieces = new byte[1600];
    for (int off = 0; off < 3200; off += 320) {
      framed.encode(sweep, off, pieces, off / 2, 320);
    }
    assertThat(pieces).isEqualTo(whole);
  }

  @Test
  void anOddSampleCountIsRefusedNamingIt() {
    assertThatThrownBy(() -> new G722Encoder().encode(new short[3], 0, new byte[2], 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samples 3 is odd");
  }

  @Test
  void buffersTooShortAreRefused() {
    assertThatThrownBy(() -> new G722Encoder().encode(new short[320], 0, new byte[159], 0, 320))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new G722Decoder().decode(new byte[160], 0, new short[319], 0, 160))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  static short[] roundTrip(short[] pcm) {
    byte[] coded = new byte[pcm.length / 2];
    new G722Encoder().encode(pcm, 0, coded, 0, pcm.length);
    short[] decoded = new short[pcm.length];
    new G722Decoder().decode(coded, 0, decoded, 0, coded.length);
    return decoded;
  }

  static short[] sweep(double from, double to, int samples, double amplitude) {
    short[] out = new short[samples];
    double phase = 0;
    for (int i = 0; i < samples; i++) {
      double f = from * Math.pow(to / from, (double) i / samples);
      phase += 2 * Math.PI * f / RATE;
      out[i] = (short) Math.round(amplitude * Math.sin(phase));
    }
    return out;
  }

  static short[] tone(double hz, int samples, double amplitude) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
    }
    return out;
  }

  /** Pearson correlation of {@code a} with {@code b} delayed by {@code delay} samples. */
  static double correlation(short[] a, short[] b, int delay) {
    int n = a.length - delay;
    double sa = 0;
    double sb = 0;
    for (int i = 0; i < n; i++) {
      sa += a[i];
      sb += b[i + delay];
    }
    double ma = sa / n;
    double mb = sb / n;
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < n; i++) {
      double x = a[i] - ma;
      double y = b[i + delay] - mb;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return ab / Math.sqrt(aa * bb);
  }

  static double goertzelPower(short[] x, int from, int length, double hz) {
    double coefficient = 2 * Math.cos(2 * Math.PI * hz / RATE);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < from + length; i++) {
      double s0 = x[i] + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  }
}

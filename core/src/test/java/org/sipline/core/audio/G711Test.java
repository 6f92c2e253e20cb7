package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Checks G711 against the quantisation tables of ITU-T G.711 (Tables 1a/2a: decision values and
 * reconstruction values per segment) rebuilt here from the standard's description, independent of
 * the bit arithmetic in the implementation, and against values of the G.191 reference code.
 */
class G711Test {

  /** One quantisation interval of the standard, in 16-bit units: [lower, upper]. */
  private record Step(int lower, int upper, int reconstruction, int magnitudeCode) {}

  /**
   * µ-law (Table 2a) in 14-bit units: segment 1 starts with the interval [0, 1] (value 0) and
   * continues in steps of 2 up to 31; segment k > 1 spans 16 steps of 2^k. Values are the interval
   * midpoints. ×4 gives 16-bit units. Magnitude code 0 is the first step of segment 1.
   */
  private static Step[] ulawSteps() {
    Step[] steps = new Step[128];
    int lower = 0;
    int index = 0;
    for (int segment = 1; segment <= 8; segment++) {
      int width = 1 << segment;
      for (int j = 0; j < 16; j++) {
        int w = (segment == 1 && j == 0) ? 1 : width;
        int value = (segment == 1 && j == 0) ? 0 : lower + w / 2;
        steps[index] = new Step(4 * lower, 4 * (lower + w), 4 * value, index);
        lower += w;
        index++;
      }
    }
    assertThat(lower).as("µ-law overload point").isEqualTo(8159);
    return steps;
  }

  /**
   * A-law (Table 1a) in 13-bit units: segments 1 and 2 are 16 steps of 2 each (0..64), segment k >
   * 2 spans 16 steps of 2^(k-1) up to 4096. Values are the midpoints; ×8 gives 16-bit units.
   */
  private static Step[] alawSteps() {
    Step[] steps = new Step[128];
    int lower = 0;
    int index = 0;
    for (int segment = 1; segment <= 8; segment++) {
      int width = segment <= 2 ? 2 : 1 << (segment - 1);
      for (int j = 0; j < 16; j++) {
        steps[index] = new Step(8 * lower, 8 * (lower + width), 8 * (lower + width / 2), index);
        lower += width;
        index++;
      }
    }
    assertThat(lower).as("A-law overload point").isEqualTo(4096);
    return steps;
  }

  /**
   * Positive inputs belong to [lower, upper), negative ones by magnitude to (lower, upper] (the
   * one's-complement rule of G.191); beyond the last decision value the top step applies.
   */
  private static Step stepFor(Step[] steps, int x) {
    int magnitude = Math.abs(x);
    for (Step s : steps) {
      boolean inside =
          x >= 0
              ? magnitude >= s.lower() && magnitude < s.upper()
              : magnitude > s.lower() && magnitude <= s.upper();
      if (inside) {
        return s;
      }
    }
    return steps[steps.length - 1];
  }

  /** µ-law code words are sent inverted; bit 7 set (before inversion) means negative. */
  private static int ulawCode(Step s, boolean negative) {
    return ~((negative ? 0x80 : 0x00) | s.magnitudeCode()) & 0xFF;
  }

  /** A-law code words carry the sign bit 1 for positive and have their even bits inverted. */
  private static int alawCode(Step s, boolean negative) {
    return ((negative ? 0x00 : 0x80) | s.magnitudeCode()) ^ 0x55;
  }

  @Test
  void ulawDecodesToTheStandardsReconstructionValues() {
    for (Step s : ulawSteps()) {
      assertThat(G711.ulawToLinear((byte) ulawCode(s, false)))
          .isEqualTo((short) s.reconstruction());
      assertThat(G711.ulawToLinear((byte) ulawCode(s, true)))
          .isEqualTo((short) -s.reconstruction());
    }
  }

  @Test
  void alawDecodesToTheStandardsReconstructionValues() {
    for (Step s : alawSteps()) {
      assertThat(G711.alawToLinear((byte) alawCode(s, false)))
          .isEqualTo((short) s.reconstruction());
      assertThat(G711.alawToLinear((byte) alawCode(s, true)))
          .isEqualTo((short) -s.reconstruction());
    }
  }

  @Test
  void ulawEncodesEverySixteenBitValueIntoTheStepThatHoldsIt() {
    Step[] steps = ulawSteps();
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int expected = ulawCode(stepFor(steps, x), x < 0);
      int actual = G711.linearToUlaw((short) x) & 0xFF;
      if (actual != expected) {
        throw new AssertionError(
            "µ-law of "
                + x
                + ": 0x"
                + Integer.toHexString(actual)
                + ", standard says 0x"
                + Integer.toHexString(expected));
      }
    }
  }

  @Test
  void alawEncodesEverySixteenBitValueIntoTheStepThatHoldsIt() {
    Step[] steps = alawSteps();
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int expected = alawCode(stepFor(steps, x), x < 0);
      int actual = G711.linearToAlaw((short) x) & 0xFF;
      if (actual != expected) {
        throw new AssertionError(
            "A-law of "
                + x
                + ": 0x"
                + Integer.toHexString(actual)
                + ", standard says 0x"
                + Integer.toHexString(expected));
      }
    }
  }

  @Test
  void ulawMatchesReferenceValues() {
    // Values of the G.191 reference implementation (ulaw_expand / ulaw_compress).
    assertThat(G711.ulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
    assertThat(G711.ulawToLinear((byte) 0x7F)).isEqualTo((short) 0);
    assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
    assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
    assertThat(G711.ulawToLinear((byte) 0xFE)).isEqualTo((short) 8);
    assertThat(G711.ulawToLinear((byte) 0xEF)).isEqualTo((short) 132);
    assertThat(G711.linearToUlaw((short) 0)).isEqualTo((byte) 0xFF);
    assertThat(G711.linearToUlaw((short) -1)).isEqualTo((byte) 0x7F);
    assertThat(G711.linearToUlaw((short) 32767)).isEqualTo((byte) 0x80);
    assertThat(G711.linearToUlaw((short) -32768)).isEqualTo((byte) 0x00);
    assertThat(G711.linearToUlaw((short) 1000)).isEqualTo((byte) 0xCE);
  }

  @Test
  void alawMatchesReferenceValues() {
    assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
    assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
    assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
    assertThat(G711.alawToLinear((byte) 0x2A)).isEqualTo((short) -32256);
    assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
    assertThat(G711.linearToAlaw((short) -1)).isEqualTo((byte) 0x55);
    assertThat(G711.linearToAlaw((short) 32767)).isEqualTo((byte) 0xAA);
    assertThat(G711.linearToAlaw((short) -32768)).isEqualTo((byte) 0x2A);
    assertThat(G711.linearToAlaw((short) 1000)).isEqualTo((byte) 0xFA);
  }

  @Test
  void encodingADecodedValueGivesBackTheSameValue() {
    for (int b = 0; b < 256; b++) {
      short u = G711.ulawToLinear((byte) b);
      assertThat(G711.ulawToLinear(G711.linearToUlaw(u))).as("µ-law 0x%02X", b).isEqualTo(u);
      short a = G711.alawToLinear((byte) b);
      assertThat(G711.alawToLinear(G711.linearToAlaw(a))).as("A-law 0x%02X", b).isEqualTo(a);
    }
  }

  @Test
  void decodingIsStrictlyMonotonicAlongTheSegmentOrder() {
    // Magnitude code 0..127 runs from the smallest to the largest step in both laws.
    for (int m = 1; m < 128; m++) {
      assertThat(G711.ulawToLinear((byte) (0xFF ^ m)))
          .isGreaterThan(G711.ulawToLinear((byte) (0xFF ^ (m - 1))));
      assertThat(G711.ulawToLinear((byte) (0x7F ^ m)))
          .isLessThan(G711.ulawToLinear((byte) (0x7F ^ (m - 1))));
      assertThat(G711.alawToLinear((byte) ((0x80 | m) ^ 0x55)))
          .isGreaterThan(G711.alawToLinear((byte) ((0x80 | (m - 1)) ^ 0x55)));
      assertThat(G711.alawToLinear((byte) (m ^ 0x55)))
          .isLessThan(G711.alawToLinear((byte) ((m - 1) ^ 0x55)));
    }
  }

  @Test
  void bulkVariantsAgreeWithSingleSampleOnes() {
    short[] pcm = new short[65536];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) (i + Short.MIN_VALUE);
    }
    byte[] ulaw = new byte[pcm.length + 3];
    byte[] alaw = new byte[pcm.length + 3];
    G711.encodeUlaw(pcm, 0, ulaw, 3, pcm.length);
    G711.encodeAlaw(pcm, 0, alaw, 3, pcm.length);
    short[] back = new short[pcm.length];
    short[] backA = new short[pcm.length];
    G711.decodeUlaw(ulaw, 3, back, 0, pcm.length);
    G711.decodeAlaw(alaw, 3, backA, 0, pcm.length);
    for (int i = 0; i < pcm.length; i++) {
      assertThat(ulaw[i + 3]).isEqualTo(G711.linearToUlaw(pcm[i]));
      assertThat(alaw[i + 3]).isEqualTo(G711.linearToAlaw(pcm[i]));
      assertThat(back[i]).isEqualTo(G711.ulawToLinear(ulaw[i + 3]));
      assertThat(backA[i]).isEqualTo(G711.alawToLinear(alaw[i + 3]));
    }
  }

  @Test
  void bulkVariantsRefuseRangesOutsideTheArrays() {
    assertThatThrownBy(() -> G711.encodeUlaw(new short[10], 5, new byte[10], 0, 6))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> G711.decodeAlaw(new byte[10], 0, new short[4], 0, 5))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}

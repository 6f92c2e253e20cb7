package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G711;

class PlainMuLawTest {
  private static short[] noise(long seed, int samples) {
    Random r = new Random(seed);
    short[] s = new short[samples];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (r.nextInt(16000) - 8000);
    }
    return s;
  }

  private static byte[] muLaw(short[] pcm) {
    byte[] b = new byte[pcm.length];
    G711.encodeUlaw(pcm, 0, b, 0, pcm.length);
    return b;
  }

  @Test
  void aPlainPacketOfTheSignalIsFoundEvenWhenItsFramesStartElsewhere() {
    short[] signal = noise(1, 1600);
    byte[] wire = muLaw(signal);
    // A packet cut 37 bytes into the signal: frames do not line up with ours.
    byte[] packet = Arrays.copyOfRange(wire, 37, 37 + 160);
    assertThat(PlainMuLaw.foundIn(signal, List.of(new byte[12], packet))).isTrue();
  }

  @Test
  void encryptedOrOtherAudioIsNotFound() {
    short[] signal = noise(1, 1600);
    byte[] other = muLaw(noise(2, 1600));
    byte[] scrambled = muLaw(signal);
    for (int i = 0; i < scrambled.length; i++) {
      scrambled[i] ^= (byte) (i * 31 + 7); // what a keystream does to it
    }
    assertThat(PlainMuLaw.foundIn(signal, List.of(other, scrambled))).isFalse();
    assertThat(PlainMuLaw.foundIn(signal, List.of())).isFalse();
  }

  @Test
  void aRunShorterThanSixteenBytesIsNotEnough() {
    short[] signal = noise(3, 320);
    byte[] wire = muLaw(signal);
    assertThat(PlainMuLaw.foundIn(signal, List.of(Arrays.copyOfRange(wire, 20, 35)))).isFalse();
    assertThat(PlainMuLaw.foundIn(signal, List.of(Arrays.copyOfRange(wire, 20, 36)))).isTrue();
  }
}

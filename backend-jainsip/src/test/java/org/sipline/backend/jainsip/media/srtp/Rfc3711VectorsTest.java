package org.sipline.backend.jainsip.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 3711 Appendix B's test vectors, byte for byte. */
class Rfc3711VectorsTest {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  @Test
  void aesCounterModeKeystreamIsAppendixB2() {
    // B.2: 1044512 octets (65282 blocks) from the counter F0F1…FCFD0000.
    int length = 1_044_512;
    byte[] keystream = new byte[length];
    new AesCounterMode(HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C"), length)
        .apply(HEX.parseHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream, 0, length);

    assertThat(HEX.formatHex(Arrays.copyOfRange(keystream, 0, 48)))
        .isEqualTo(
            "E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0");
    assertThat(HEX.formatHex(Arrays.copyOfRange(keystream, length - 48, length)))
        .isEqualTo(
            "EC8CDF7398607CB0F2D21675EA9EA1E4"
                + "362B7C3C6773516318A077D7FC5073AE"
                + "6A2CC3787889374FBEB4C81B17BA6C44");
  }

  @Test
  void sessionCryptoBuildsB2sIvFromSaltSsrcAndIndexZero() {
    // With SSRC 0 and index 0 the IV is the salt shifted: B.2's counter, so its keystream.
    byte[] data = new byte[16];
    AesCounterMode cipher =
        new AesCounterMode(HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C"), 16);
    byte[] iv = new byte[16];
    System.arraycopy(HEX.parseHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), 0, iv, 0, 14);
    cipher.apply(iv, data, 0, 16);
    assertThat(HEX.formatHex(data)).isEqualTo("E03EAD0935C95E80E166B16DD92B4EB4");
  }

  @Test
  void keyDerivationIsAppendixB3() {
    byte[] masterKey = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
    byte[] masterSalt = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");

    assertThat(HEX.formatHex(KeyDerivation.derive(masterKey, masterSalt, 0x00, 16)))
        .isEqualTo("C61E7A93744F39EE10734AFE3FF7A087");
    assertThat(HEX.formatHex(KeyDerivation.derive(masterKey, masterSalt, 0x02, 14)))
        .isEqualTo("30CBBC08863D8C85D49DB34A9AE1");
    assertThat(HEX.formatHex(KeyDerivation.derive(masterKey, masterSalt, 0x01, 20)))
        .isEqualTo("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
    // B.3 prints the authentication key on to 256 bits: the PRF's keystream goes on.
    assertThat(HEX.formatHex(KeyDerivation.derive(masterKey, masterSalt, 0x01, 32)))
        .isEqualTo("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE");
  }
}

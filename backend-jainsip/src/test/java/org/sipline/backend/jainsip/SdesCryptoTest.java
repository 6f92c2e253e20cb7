package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.media.srtp.SrtpSuite;

/** RFC 4568 crypto attributes from the peer: what is taken, and each kind of line refused. */
class SdesCryptoTest {
  // 30 bytes: a 16-byte key and a 14-byte salt.
  private static final String KEY =
      Base64.getEncoder()
          .encodeToString(
              "0123456789abcdefGHIJKLMNOPQRST"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  @Test
  void aPlainLineIsTakenWithItsTagSuiteAndKey() {
    SdesCrypto c = SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY);
    assertThat(c.tag()).isEqualTo(1);
    assertThat(c.keys().suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
    assertThat(c.keys().inline()).isEqualTo(KEY);
    assertThat(c.attribute()).isEqualTo("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY);
    assertThat(SdesCrypto.parse("7  AES_CM_128_HMAC_SHA1_32\tinline:" + KEY).keys().suite())
        .isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_32);
  }

  @Test
  void aLongEnoughLifetimeAWindowHintAndKdrZeroAreTaken() {
    assertThat(SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^31")).isNotNull();
    assertThat(SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^48 KDR=0 WSH=64"))
        .isNotNull();
    assertThat(SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|4294967296"))
        .isNotNull();
  }

  @Test
  void aKeyOfTheWrongLengthIsRefusedSayingTheLengthsNotTheKey() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[29]);
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + shortKey))
        .hasMessageContaining("29 bytes")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "AAAA"))
        .hasMessageContaining("33 bytes");
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:not*base64"))
        .hasMessageContaining("not base64");
  }

  @Test
  void anUnknownSuiteIsRefusedByName() {
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_256_CM_HMAC_SHA1_80 inline:" + KEY))
        .hasMessageContaining("'AES_256_CM_HMAC_SHA1_80' is not one sipline speaks");
    assertThatThrownBy(() -> SdesCrypto.parse("1 F8_128_HMAC_SHA1_80 inline:" + KEY))
        .hasMessageContaining("F8_128_HMAC_SHA1_80");
  }

  @Test
  void aShortOrOutlandishLifetimeIsRefused() {
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20"))
        .hasMessageContaining("under 2^31");
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^49"))
        .hasMessageContaining("2^48");
    assertThatThrownBy(
            () -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^999999999"))
        .hasMessageContaining("2^48");
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|soon"))
        .hasMessageContaining("no number");
  }

  @Test
  void anMkiOrASecondKeyIsRefused() {
    assertThatThrownBy(
            () -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^31|1:4"))
        .hasMessageContaining("MKI");
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|1:4"))
        .hasMessageContaining("MKI");
    assertThatThrownBy(
            () ->
                SdesCrypto.parse(
                    "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^31|1:4;inline:" + KEY))
        .hasMessageContaining("more than one key");
  }

  @Test
  void unsupportedSessionParametersAndBrokenFieldsAreRefused() {
    assertThatThrownBy(
            () -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " UNENCRYPTED_SRTP"))
        .hasMessageContaining("'UNENCRYPTED_SRTP' is not supported");
    assertThatThrownBy(
            () -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " KDR=24"))
        .hasMessageContaining("KDR=24");
    assertThatThrownBy(() -> SdesCrypto.parse("x AES_CM_128_HMAC_SHA1_80 inline:" + KEY))
        .hasMessageContaining("tag");
    assertThatThrownBy(() -> SdesCrypto.parse("1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + KEY))
        .hasMessageContaining("tag");
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 uri:" + KEY))
        .hasMessageContaining("inline:");
    assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80"))
        .hasMessageContaining("needs a tag, a suite and key parameters");
  }

  @Test
  void toStringHidesTheKey() {
    SdesCrypto c = SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY);
    assertThat(c.toString()).doesNotContain(KEY).contains("hidden");
    assertThat(c.keys().toString()).doesNotContain(KEY);
  }
}

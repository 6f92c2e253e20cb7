package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.media.srtp.SrtpSuite;
import org.sipline.core.spi.SrtpMode;

/** SDES offer/answer under each {@code --srtp} mode (RFC 4568 §7). */
class LocalSdpSrtpTest {
  private static final String KEY =
      Base64.getEncoder()
          .encodeToString(
              "0123456789abcdefGHIJKLMNOPQRST"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  private static final String KEY2 =
      Base64.getEncoder()
          .encodeToString(
              "ZYXWVUTSRQPONMLKjihgfedcba9876"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  private static final String PLAIN = "m=audio 4000 RTP/AVP 0 101\r\n";
  private static final String SECURE =
      "m=audio 4000 RTP/SAVP 8 0\r\n"
          + "a=crypto:5 AES_256_CM_HMAC_SHA1_80 inline:"
          + KEY
          + "\r\n"
          + "a=crypto:6 AES_CM_128_HMAC_SHA1_32 inline:"
          + KEY
          + "\r\n"
          + "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:"
          + KEY2
          + "\r\n";

  private static SessionDescription sdp(String media) {
    return SessionDescription.parse(
        "v=0\r\no=x 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" + media);
  }

  private static LocalSdp local(SrtpMode mode) {
    return new LocalSdp("192.0.2.7", 40000, 1, mode, new SecureRandom());
  }

  @Test
  void offeringSrtpMakesRtpSavpWithALineAndAKeyPerSuite() {
    String offer = local(SrtpMode.OFFER).offer();
    assertThat(offer).contains("m=audio 40000 RTP/SAVP 0 8 101\r\n");
    assertThat(offer)
        .containsPattern("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{40}");
    assertThat(offer)
        .containsPattern("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:[A-Za-z0-9+/]{40}");
    assertThat(local(SrtpMode.REQUIRE).offer()).contains("RTP/SAVP");
    assertThat(local(SrtpMode.OFF).offer()).contains("RTP/AVP").doesNotContain("crypto");
    // Each call its own keys; a repeated offer the same ones.
    LocalSdp one = local(SrtpMode.OFFER);
    String first = one.offer();
    assertThat(keyOf(one.offer(), 1)).isEqualTo(keyOf(first, 1));
    assertThat(keyOf(local(SrtpMode.OFFER).offer(), 1)).isNotEqualTo(keyOf(first, 1));
    assertThat(keyOf(first, 1)).isNotEqualTo(keyOf(first, 2));
  }

  private static String keyOf(String sdp, int tag) {
    int at = sdp.indexOf("a=crypto:" + tag + " ");
    int inline = sdp.indexOf("inline:", at) + 7;
    return sdp.substring(inline, sdp.indexOf("\r\n", inline));
  }

  @Test
  void theAnswerTakesTheEightyBitLineEchoingItsTagWithOurOwnKey() {
    SessionDescription offer = sdp(SECURE);
    MediaPlan plan = LocalSdp.planFor(offer, SrtpMode.OFFER);
    // Tag 5 is a suite we do not speak; 6 (_32) comes first, but the 80-bit tag is preferred.
    assertThat(plan.srtp().tag()).isEqualTo(7);
    assertThat(plan.receiveKeys().suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
    assertThat(plan.receiveKeys().inline()).isEqualTo(KEY2);
    LocalSdp ours = local(SrtpMode.OFFER);
    String answer = ours.answer(offer, plan);
    // Our codec preference (PCMU before PCMA without --codecs here) picks from the offer's 8 0.
    assertThat(answer).contains("m=audio 40000 RTP/SAVP 0\r\n");
    assertThat(answer).containsOnlyOnce("a=crypto:");
    assertThat(answer).contains("a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:");
    assertThat(keyOf(answer, 7)).isNotEqualTo(KEY2).isEqualTo(ours.sendKeys(plan).inline());
    // A re-INVITE with the same crypto: the same key again (RFC 4568 §7.1.4 lets us keep it).
    assertThat(keyOf(ours.answer(offer, plan), 7)).isEqualTo(keyOf(answer, 7));
  }

  @Test
  void withoutAnEightyBitLineTheFirstUsableOneIsTaken() {
    String only32 =
        "m=audio 4000 RTP/SAVP 0\r\n"
            + "a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:"
            + KEY
            + "\r\n"
            + "a=crypto:4 AES_CM_128_HMAC_SHA1_32 inline:"
            + KEY
            + "\r\n"
            + "a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:"
            + KEY2
            + "\r\n";
    MediaPlan plan = LocalSdp.planFor(sdp(only32), SrtpMode.REQUIRE);
    assertThat(plan.srtp().tag()).isEqualTo(4);
    assertThat(plan.receiveKeys().suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_32);
  }

  /** baresip's {@code mediaenc=srtp}, pjsip's {@code use_srtp=OPTIONAL}: RTP/AVP with crypto. */
  private static final String BEST_EFFORT =
      "m=audio 4000 RTP/AVP 0 101\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\n"
          + "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:"
          + KEY
          + "\r\n"
          + "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:"
          + KEY2
          + "\r\n";

  @Test
  void bestEffortSrtpOnRtpAvpIsAnsweredWithSrtpInRtpAvpWhenSrtpIsOn() {
    for (SrtpMode mode : new SrtpMode[] {SrtpMode.OFFER, SrtpMode.REQUIRE}) {
      SessionDescription offer = sdp(BEST_EFFORT);
      MediaPlan plan = LocalSdp.planFor(offer, mode);
      assertThat(plan.srtp()).as("%s", mode).isNotNull();
      assertThat(plan.srtp().tag()).isEqualTo(2);
      assertThat(plan.receiveKeys().inline()).isEqualTo(KEY2);
      LocalSdp ours = local(mode);
      String answer = ours.answer(offer, plan);
      // The offered profile, as RFC 3264 §6 wants, with our key for the chosen line.
      assertThat(answer).contains("m=audio 40000 RTP/AVP 0 101\r\n");
      assertThat(answer).containsOnlyOnce("a=crypto:");
      assertThat(keyOf(answer, 2)).isEqualTo(ours.sendKeys(plan).inline());
    }
    // With SRTP off the crypto lines are ignored: a plain answer, as before.
    SessionDescription offer = sdp(BEST_EFFORT);
    MediaPlan plain = LocalSdp.planFor(offer, SrtpMode.OFF);
    assertThat(plain.srtp()).isNull();
    assertThat(local(SrtpMode.OFF).answer(offer, plain))
        .contains("m=audio 40000 RTP/AVP 0 101\r\n")
        .doesNotContain("crypto");
  }

  @Test
  void bestEffortSrtpWithNoUsableLineIsPlainUnderOfferAndRefusedUnderRequire() {
    String unusable =
        "m=audio 4000 RTP/AVP 0\r\na=crypto:1 F8_128_HMAC_SHA1_80 inline:" + KEY + "\r\n";
    assertThat(LocalSdp.planFor(sdp(unusable), SrtpMode.OFFER).srtp()).isNull();
    assertThatThrownBy(() -> LocalSdp.planFor(sdp(unusable), SrtpMode.REQUIRE))
        .isInstanceOf(UnacceptableSdp.class)
        .hasMessageContaining("SRTP is required (--srtp require)")
        .hasMessageContaining("no usable crypto line")
        .hasMessageContaining("F8_128_HMAC_SHA1_80")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void plainOffersAreAnsweredPlainUnlessSrtpIsRequired() {
    assertThat(LocalSdp.planFor(sdp(PLAIN), SrtpMode.OFF).srtp()).isNull();
    assertThat(LocalSdp.planFor(sdp(PLAIN), SrtpMode.OFFER).srtp()).isNull();
    assertThatThrownBy(() -> LocalSdp.planFor(sdp(PLAIN), SrtpMode.REQUIRE))
        .isInstanceOf(UnacceptableSdp.class)
        .hasMessageContaining("SRTP is required (--srtp require)");
    // With both, SRTP is taken where it may be.
    MediaPlan both = LocalSdp.planFor(sdp(PLAIN + SECURE), SrtpMode.OFFER);
    assertThat(both.srtp()).isNotNull();
    assertThat(LocalSdp.planFor(sdp(PLAIN + SECURE), SrtpMode.OFF).srtp()).isNull();
  }

  @Test
  void anSrtpOnlyOfferIsRefusedWhenSrtpIsOffOrNoLineIsUsable() {
    assertThatThrownBy(() -> LocalSdp.planFor(sdp(SECURE), SrtpMode.OFF))
        .isInstanceOf(UnacceptableSdp.class)
        .hasMessageContaining("SRTP is off");
    String unusable =
        "m=audio 4000 RTP/SAVP 0\r\n"
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
            + KEY
            + "|2^10\r\n"
            + "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:"
            + KEY
            + "|1:4\r\n";
    assertThatThrownBy(() -> LocalSdp.planFor(sdp(unusable), SrtpMode.REQUIRE))
        .isInstanceOf(UnacceptableSdp.class)
        .hasMessageContaining("no usable crypto line")
        .hasMessageContaining("2^31")
        .hasMessageContaining("MKI")
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(() -> LocalSdp.planFor(sdp("m=audio 4000 RTP/SAVP 0\r\n"), SrtpMode.OFFER))
        .hasMessageContaining("none given");
  }

  @Test
  void anAnswerIsTakenOnlyWithACryptoLineWeOffered() {
    String answer80 =
        "m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "\r\n";
    MediaPlan plan = LocalSdp.planFromAnswer(sdp(answer80), SrtpMode.REQUIRE);
    assertThat(plan.receiveKeys().suite()).isEqualTo(SrtpSuite.AES_CM_128_HMAC_SHA1_80);
    LocalSdp ours = local(SrtpMode.REQUIRE);
    String offer = ours.offer();
    assertThat(ours.sendKeys(plan).inline()).isEqualTo(keyOf(offer, 1));

    String wrongTag =
        "m=audio 5000 RTP/SAVP 0\r\na=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "\r\n";
    assertThatThrownBy(() -> LocalSdp.planFromAnswer(sdp(wrongTag), SrtpMode.OFFER))
        .hasMessageContaining("crypto tag 2 is not ours");
    assertThatThrownBy(() -> LocalSdp.planFromAnswer(sdp(PLAIN), SrtpMode.REQUIRE))
        .hasMessageContaining("SRTP is required (--srtp require) and the answer is plain RTP/AVP");
    assertThat(LocalSdp.planFromAnswer(sdp(PLAIN), SrtpMode.OFFER).srtp()).isNull();
    assertThatThrownBy(() -> LocalSdp.planFromAnswer(sdp(answer80), SrtpMode.OFF))
        .hasMessageContaining("plain RTP/AVP offer");
  }
}

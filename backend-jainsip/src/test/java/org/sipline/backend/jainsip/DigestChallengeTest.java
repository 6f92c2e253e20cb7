package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import javax.sip.header.WWWAuthenticateHeader;
import org.junit.jupiter.api.Test;

/** Reading challenges: what we answer, and what we refuse to echo back. */
class DigestChallengeTest {
  private static WWWAuthenticateHeader header(String value) throws Exception {
    return (WWWAuthenticateHeader) new HeaderFactoryImpl().createHeader("WWW-Authenticate", value);
  }

  @Test
  void readsRealmNonceOpaqueAlgorithmQopAndStale() throws Exception {
    DigestChallenge c =
        DigestChallenge.parse(
            false,
            header(
                "Digest realm=\"r\", nonce=\"n\", "
                    + "opaque=\"o\", algorithm=SHA-256-sess, qop=\"auth-int,auth\", stale=TRUE"));
    assertThat(c)
        .isEqualTo(
            new DigestChallenge(false, "r", "n", "o", DigestAlgorithm.SHA_256_SESS, "auth", true));
  }

  @Test
  void defaultsToMd5WithoutQopLikeRfc2069() throws Exception {
    DigestChallenge c = DigestChallenge.parse(true, header("Digest realm=\"r\", nonce=\"n\""));
    assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.MD5);
    assertThat(c.qop()).isNull();
    assertThat(c.stale()).isFalse();
    assertThat(c.proxy()).isTrue();
  }

  @Test
  void takesAuthIntWhenItIsAllThatIsOffered() throws Exception {
    assertThat(
            DigestChallenge.parse(
                    false, header("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\""))
                .qop())
        .isEqualTo("auth-int");
  }

  @Test
  void refusesAnUnknownAlgorithmByName() {
    assertThatThrownBy(
            () ->
                DigestChallenge.parse(
                    false, header("Digest realm=\"r\", nonce=\"n\", algorithm=AKAv1-MD5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("algorithm AKAv1-MD5 is not supported");
  }

  @Test
  void refusesOtherSchemesAndMissingNonce() {
    assertThatThrownBy(() -> DigestChallenge.parse(false, header("Basic realm=\"r\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scheme Basic is not Digest");
    assertThatThrownBy(() -> DigestChallenge.parse(false, header("Digest realm=\"r\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Digest challenge without nonce");
  }

  @Test
  void refusesANonceThatWouldBreakOutOfOurQuotes() {
    assertThatThrownBy(
            () -> DigestChallenge.parse(false, header("Digest realm=\"r\", nonce=\"a\\\"b\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nonce contains character 0x");
  }

  @Test
  void refusesAnOversizedNonce() {
    String nonce = "n".repeat(2000);
    assertThatThrownBy(
            () ->
                DigestChallenge.parse(false, header("Digest realm=\"r\", nonce=\"" + nonce + "\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nonce length 2000 > 1024");
  }
}

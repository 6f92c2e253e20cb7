package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The digest computation against the examples printed in the RFCs. */
class DigestResponseTest {
  @Test
  void md5WithQopAuthMatchesRfc2617Example() {
    // RFC 2617 §3.5.
    DigestResponse r =
        new DigestResponse(
            DigestAlgorithm.MD5,
            "Mufasa",
            "testrealm@host.com",
            "Circle Of Life",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "GET",
            "/dir/index.html",
            "auth",
            "00000001",
            "0a4f113b",
            null);
    assertThat(r.compute()).isEqualTo("6629fae49393a05397450978507c4ef1");
  }

  @Test
  void md5WithQopAuthMatchesRfc7616Example() {
    // RFC 7616 §3.9.1, first response (MD5).
    assertThat(rfc7616(DigestAlgorithm.MD5).compute())
        .isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
  }

  @Test
  void sha256WithQopAuthMatchesRfc7616Example() {
    // RFC 7616 §3.9.1, second response (SHA-256).
    assertThat(rfc7616(DigestAlgorithm.SHA_256).compute())
        .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  }

  @Test
  void withoutQopMatchesRfc2069ExampleAsCorrected() {
    // RFC 2069 §2.4; the printed value is wrong, its erratum gives this one.
    DigestResponse r =
        new DigestResponse(
            DigestAlgorithm.MD5,
            "Mufasa",
            "testrealm@host.com",
            "CircleOfLife",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "GET",
            "/dir/index.html",
            null,
            null,
            null,
            null);
    assertThat(r.compute()).isEqualTo("1949323746fe6a43ef61f9606e7febea");
  }

  @Test
  void sessionVariantHashesNonceAndCnonceIntoHa1() {
    DigestResponse plain = rfc7616(DigestAlgorithm.SHA_256);
    DigestResponse sess =
        new DigestResponse(
            DigestAlgorithm.SHA_256_SESS,
            plain.username(),
            plain.realm(),
            plain.password(),
            plain.nonce(),
            plain.method(),
            plain.uri(),
            plain.qop(),
            plain.nonceCount(),
            plain.cnonce(),
            null);
    assertThat(sess.compute()).hasSize(64).isNotEqualTo(plain.compute());
  }

  @Test
  void qopWithoutCnonceIsRefused() {
    assertThatThrownBy(
            () ->
                new DigestResponse(
                    DigestAlgorithm.MD5,
                    "u",
                    "r",
                    "p",
                    "n",
                    "REGISTER",
                    "sip:example.org",
                    "auth",
                    "00000001",
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("qop=auth needs nc and cnonce");
  }

  @Test
  void toStringNeverShowsThePassword() {
    assertThat(rfc7616(DigestAlgorithm.MD5).toString()).doesNotContain("Circle of Life");
  }

  private static DigestResponse rfc7616(DigestAlgorithm algorithm) {
    return new DigestResponse(
        algorithm,
        "Mufasa",
        "http-auth@example.org",
        "Circle of Life",
        "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
        "GET",
        "/dir/index.html",
        "auth",
        "00000001",
        "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
        null);
  }
}

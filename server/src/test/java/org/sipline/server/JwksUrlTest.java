package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JWKS URL's cache: re-fetched when it expires or a token names a new key, never more than once
 * per rate-limit gap, never from a thread that may not block, and a provider that fails keeps the
 * last good keys. Time is a test clock, so nothing here waits.
 */
class JwksUrlTest {
  private final RSAKey first = TestIssuer.rsa("k1");
  private final ECKey second = TestIssuer.ec("k2");
  private final AtomicReference<String> served = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger fetches = new AtomicInteger();
  private final MutableClock clock = new MutableClock();
  private HttpServer http;
  private URI uri;

  @BeforeEach
  void serve() throws Exception {
    served.set(TestIssuer.jwks(first));
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/certs",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Cache-Control", "public, max-age=60");
          exchange.sendResponseHeaders(status.get(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
    uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/certs");
  }

  @AfterEach
  void stop() {
    http.stop(0);
  }

  private JwtVerifier verifier(JwksUrl keys) {
    return new JwtVerifier(
        new JwtSettings(uri.toString(), TestIssuer.ISSUER, TestIssuer.AUDIENCE, null, null),
        keys,
        Clock.systemUTC());
  }

  @Test
  void anUnknownKidIsFetchedOnlyWhereBlockingIsAllowedAndAtMostOncePerGap() {
    JwksUrl keys = new JwksUrl(uri, clock, Duration.ofSeconds(10));
    JwtVerifier verifier = verifier(keys);
    assertThat(fetches.get()).isEqualTo(1);
    assertThat(verifier.check(TestIssuer.sign(first, TestIssuer.claims().build()), false)).isNull();

    served.set(TestIssuer.jwks(first, second));
    String rotated = TestIssuer.sign(second, TestIssuer.claims().build());
    clock.advance(Duration.ofSeconds(11));
    assertThat(verifier.wouldBlock(rotated)).isTrue();
    // An event loop may not wait for the provider: refused with the keys at hand, no fetch.
    assertThat(verifier.check(rotated, false).reason()).contains("kid 'k2' is not");
    assertThat(fetches.get()).isEqualTo(1);
    // A pool thread may: fetched, and the rotated key is used.
    assertThat(verifier.check(rotated, true)).isNull();
    assertThat(fetches.get()).isEqualTo(2);

    // Made-up kids within the gap do not reach the provider.
    String bogus = TestIssuer.sign(TestIssuer.rsa("k3"), TestIssuer.claims().build());
    clock.advance(Duration.ofSeconds(5));
    assertThat(verifier.wouldBlock(bogus)).isFalse();
    assertThat(verifier.check(bogus, true).reason()).contains("kid 'k3' is not");
    assertThat(fetches.get()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(6));
    assertThat(verifier.check(bogus, true).reason()).contains("kid 'k3' is not");
    assertThat(fetches.get()).isEqualTo(3);
  }

  @Test
  void anExpiredCacheIsFetchedAgainAndAFailingProviderKeepsTheLastGoodKeys() {
    JwksUrl keys = new JwksUrl(uri, clock, Duration.ofSeconds(10));
    JwtVerifier verifier = verifier(keys);
    String token = TestIssuer.sign(first, TestIssuer.claims().build());
    clock.advance(Duration.ofSeconds(59));
    assertThat(verifier.wouldBlock(token)).isFalse();
    clock.advance(Duration.ofSeconds(2)); // max-age=60 has passed
    assertThat(verifier.wouldBlock(token)).isTrue();
    status.set(503);
    assertThat(verifier.check(token, true)).isNull();
    assertThat(fetches.get()).isEqualTo(2);

    // The provider withdraws the key: once the cache expires again, tokens with it are refused.
    status.set(200);
    served.set(TestIssuer.jwks(second));
    clock.advance(Duration.ofSeconds(61));
    assertThat(verifier.check(token, true).reason()).contains("kid 'k1' is not");
    assertThat(fetches.get()).isEqualTo(3);
  }

  @Test
  void aProviderDownAtStartIsAskedAgainLater() {
    status.set(500);
    JwksUrl keys = new JwksUrl(uri, clock, Duration.ofSeconds(10));
    JwtVerifier verifier = verifier(keys);
    String token = TestIssuer.sign(first, TestIssuer.claims().build());
    assertThat(verifier.check(token, true).reason()).contains("kid 'k1' is not");
    status.set(200);
    clock.advance(Duration.ofSeconds(11));
    assertThat(verifier.check(token, true)).isNull();
  }

  @Test
  void cacheControlMaxAgeIsHonouredWithinBounds() {
    assertThat(JwksUrl.ttl(List.of("public, max-age=120"))).isEqualTo(Duration.ofMinutes(2));
    assertThat(JwksUrl.ttl(List.of("max-age=1"))).isEqualTo(Duration.ofSeconds(10));
    assertThat(JwksUrl.ttl(List.of("max-age=99999999"))).isEqualTo(Duration.ofHours(24));
    assertThat(JwksUrl.ttl(List.of("no-cache"))).isEqualTo(Duration.ofMinutes(5));
    assertThat(JwksUrl.ttl(List.of())).isEqualTo(Duration.ofMinutes(5));
  }

  /** A clock tests move by hand. */
  private static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-07T08:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}

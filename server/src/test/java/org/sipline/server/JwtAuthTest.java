package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipStatus.StatusType;

/**
 * With {@code --jwt-jwks}, tokens of the OIDC provider pass and every forged, stale or misdirected
 * one is refused with the check it failed (SPEC §8). Tokens are minted here with keys generated
 * here ({@link TestIssuer}).
 */
class JwtAuthTest {
  @TempDir Path dir;

  private final RSAKey rsa = TestIssuer.rsa("rsa-1");
  private final ECKey ec = TestIssuer.ec("ec-1");
  private RunningServer running;
  private HttpServer http;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
    if (http != null) {
      http.stop(0);
    }
  }

  private Path jwksFile() throws Exception {
    Path file = dir.resolve("jwks.json");
    TestIssuer.writeJwks(file, rsa, ec);
    return file;
  }

  private void start(Path jwks, UnaryOperator<ServerConfig.Builder> more) throws Exception {
    running =
        RunningServer.start(
            b ->
                more.apply(
                    b.jwt(
                        JwtSettings.of(
                            jwks.toString(), TestIssuer.ISSUER, TestIssuer.AUDIENCE, null, null))));
  }

  private SipGrpc.SipBlockingStub bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
    return running.sip().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private StatusType statusWith(String token) {
    return bearer(token).sipGetSipStatus(Empty.getDefaultInstance()).getStatusType();
  }

  /** The call is refused with {@code code}, a reason containing {@code why}, never the token. */
  private void assertRefused(String token, Status.Code code, String why) {
    assertThatThrownBy(() -> statusWith(token))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(why);
              String[] parts = token.split("\\.", -1);
              for (String part : parts) {
                if (part.length() > 8) {
                  assertThat(e.getStatus().getDescription()).doesNotContain(part);
                }
              }
            });
  }

  @Test
  void rs256AndEs256TokensOfTheProviderPass() throws Exception {
    start(jwksFile(), b -> b);
    assertThat(statusWith(TestIssuer.sign(rsa, TestIssuer.claims().build())))
        .isEqualTo(StatusType.NO_SESSION);
    assertThat(statusWith(TestIssuer.sign(ec, TestIssuer.claims().build())))
        .isEqualTo(StatusType.NO_SESSION);
    // Within the stated clock skew, a token just past its exp (or just before its nbf) passes.
    Instant now = Instant.now();
    assertThat(
            statusWith(
                TestIssuer.sign(
                    rsa,
                    c ->
                        c.expirationTime(Date.from(now.minusSeconds(20)))
                            .notBeforeTime(Date.from(now.plusSeconds(20))))))
        .isEqualTo(StatusType.NO_SESSION);
  }

  @Test
  void everyForgedStaleOrMisdirectedTokenIsRefusedNamingTheCheck() throws Exception {
    start(jwksFile(), b -> b);
    JWTClaimsSet good = TestIssuer.claims().build();
    Instant now = Instant.now();
    Status.Code unauthenticated = Status.Code.UNAUTHENTICATED;

    assertRefused(TestIssuer.unsigned(good), unauthenticated, "alg 'none'");
    assertRefused(TestIssuer.hmacWithPublicKey(rsa, good), unauthenticated, "HS256 (HMAC)");
    assertRefused(TestIssuer.sign(rsa, "rsa-9", good), unauthenticated, "kid 'rsa-9' is not");
    // Signed by a stranger's key under the provider's kid.
    assertRefused(
        TestIssuer.sign(TestIssuer.rsa("rsa-1"), good),
        unauthenticated,
        "signature does not verify with the provider's key 'rsa-1'");
    // An EC key's id on an RS256 token.
    assertRefused(TestIssuer.sign(rsa, "ec-1", good), unauthenticated, "does not fit");
    assertRefused(
        TestIssuer.sign(rsa, c -> c.issuer("https://evil.test/realms/bots")),
        unauthenticated,
        "iss is not the expected issuer");
    assertRefused(
        TestIssuer.sign(ec, c -> c.audience(List.of("account"))),
        unauthenticated,
        "aud does not contain the expected audience");
    assertRefused(
        TestIssuer.sign(rsa, c -> c.expirationTime(Date.from(now.minusSeconds(120)))),
        unauthenticated,
        "JWT expired at");
    assertRefused(
        TestIssuer.sign(rsa, c -> c.expirationTime(null)), unauthenticated, "no exp (expiry)");
    assertRefused(
        TestIssuer.sign(ec, c -> c.notBeforeTime(Date.from(now.plusSeconds(120)))),
        unauthenticated,
        "not valid before");
    assertRefused("bm90IGpzb24.bm90IGpzb24.c2ln", unauthenticated, "malformed JWT");
    // A payload that is not JSON is never read: its signature fails first.
    assertRefused(
        "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", unauthenticated, "signature does not verify");
    assertRefused("not-a-jwt", unauthenticated, "malformed JWT");
    String good2 = TestIssuer.sign(rsa, good);
    String tampered =
        good2.substring(0, good2.lastIndexOf('.') - 4)
            + "AAAA"
            + good2.substring(good2.lastIndexOf('.'));
    assertRefused(tampered, unauthenticated, "signature does not verify");
  }

  @Test
  void aMissingRoleOrScopeIsPermissionDenied() throws Exception {
    Path jwks = jwksFile();
    running =
        RunningServer.start(
            b ->
                b.jwt(
                    JwtSettings.of(
                        jwks.toString(),
                        TestIssuer.ISSUER,
                        TestIssuer.AUDIENCE,
                        "sipline:caller",
                        "sip")));
    assertThat(statusWith(TestIssuer.sign(rsa, TestIssuer.claims().build())))
        .isEqualTo(StatusType.NO_SESSION);
    assertRefused(
        TestIssuer.sign(
            rsa, c -> c.claim("resource_access", Map.of("sipline", Map.of("roles", List.of())))),
        Status.Code.PERMISSION_DENIED,
        "lacks the role 'sipline:caller'");
    assertRefused(
        TestIssuer.sign(ec, c -> c.claim("scope", "openid profile")),
        Status.Code.PERMISSION_DENIED,
        "lacks the scope 'sip'");
  }

  @Test
  void aRealmRoleIsFoundInRealmAccess() throws Exception {
    Path jwks = jwksFile();
    running =
        RunningServer.start(
            b ->
                b.jwt(
                    JwtSettings.of(
                        jwks.toString(),
                        TestIssuer.ISSUER,
                        TestIssuer.AUDIENCE,
                        "sip-operator",
                        null)));
    assertThat(statusWith(TestIssuer.sign(ec, TestIssuer.claims().build())))
        .isEqualTo(StatusType.NO_SESSION);
    assertRefused(
        TestIssuer.sign(ec, c -> c.claim("realm_access", Map.of("roles", List.of("other")))),
        Status.Code.PERMISSION_DENIED,
        "lacks the role 'sip-operator'");
  }

  @Test
  void staticTokensKeepWorkingBesideJwtsAndHealthStaysOpen() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), "static-bot-token\n");
    start(jwksFile(), b -> b.tokenFile(tokens));
    assertThat(statusWith("static-bot-token")).isEqualTo(StatusType.NO_SESSION);
    assertThat(statusWith(TestIssuer.sign(rsa, TestIssuer.claims().build())))
        .isEqualTo(StatusType.NO_SESSION);
    assertRefused("other-token", Status.Code.UNAUTHENTICATED, "bearer token not accepted");
    assertRefused(
        TestIssuer.unsigned(TestIssuer.claims().build()),
        Status.Code.UNAUTHENTICATED,
        "alg 'none'");
    assertThat(
            HealthGrpc.newBlockingStub(running.channel)
                .check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void aKeyRotatedOnDiskIsUsedWithoutRestart() throws Exception {
    Path jwks = jwksFile();
    start(jwks, b -> b);
    String old = TestIssuer.sign(rsa, TestIssuer.claims().build());
    assertThat(statusWith(old)).isEqualTo(StatusType.NO_SESSION);

    RSAKey next = TestIssuer.rsa("rsa-2");
    String fresh = TestIssuer.sign(next, TestIssuer.claims().build());
    assertRefused(fresh, Status.Code.UNAUTHENTICATED, "kid 'rsa-2' is not");

    // The provider rotates: the new key is published and the old one withdrawn.
    TestIssuer.writeJwks(jwks, next, ec);
    assertThat(statusWith(fresh)).isEqualTo(StatusType.NO_SESSION);
    assertRefused(old, Status.Code.UNAUTHENTICATED, "kid 'rsa-1' is not");
  }

  @Test
  void keysServedAtAJwksUrlAreFetchedAndUsed() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    byte[] body = TestIssuer.jwks(rsa, ec).getBytes(StandardCharsets.UTF_8);
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/realms/bots/protocol/openid-connect/certs",
        exchange -> {
          fetches.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.getResponseHeaders().add("Cache-Control", "max-age=3600");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
    String url =
        "http://127.0.0.1:"
            + http.getAddress().getPort()
            + "/realms/bots/protocol/openid-connect/certs";
    running =
        RunningServer.start(
            b -> b.jwt(JwtSettings.of(url, TestIssuer.ISSUER, TestIssuer.AUDIENCE, null, null)));
    assertThat(statusWith(TestIssuer.sign(rsa, TestIssuer.claims().build())))
        .isEqualTo(StatusType.NO_SESSION);
    assertThat(statusWith(TestIssuer.sign(ec, TestIssuer.claims().build())))
        .isEqualTo(StatusType.NO_SESSION);
    assertRefused(
        TestIssuer.sign(TestIssuer.rsa("rsa-7"), TestIssuer.claims().build()),
        Status.Code.UNAUTHENTICATED,
        "kid 'rsa-7' is not");
    // Fetched once at start; the cache (max-age 3600) served the rest, and the unknown kid came
    // within the rate limit's 10 s of that fetch.
    assertThat(fetches.get()).isEqualTo(1);
  }

  @Test
  void jwtFlagsAreCheckedAtStart() throws Exception {
    Path jwks = jwksFile();
    assertThatThrownBy(() -> JwtSettings.of(null, TestIssuer.ISSUER, null, null, null))
        .hasMessageContaining("--jwt-issuer")
        .hasMessageContaining("needs --jwt-jwks");
    assertThatThrownBy(() -> JwtSettings.of(jwks.toString(), null, TestIssuer.AUDIENCE, null, null))
        .hasMessageContaining("--jwt-issuer");
    assertThatThrownBy(() -> JwtSettings.of(jwks.toString(), TestIssuer.ISSUER, null, null, null))
        .hasMessageContaining("--jwt-audience");
    assertThatThrownBy(
            () ->
                JwtSettings.of(dir.resolve("nope").toString(), TestIssuer.ISSUER, "a", null, null))
        .hasMessageContaining("neither an http(s) URL nor a readable file");
    assertThatThrownBy(() -> JwtSettings.of(jwks.toString(), TestIssuer.ISSUER, "a", ":x", null))
        .hasMessageContaining("--jwt-required-role");
    Path notJwks = Files.writeString(dir.resolve("bad.json"), "{\"keys\": 3}");
    assertThatThrownBy(
            () ->
                RunningServer.start(
                    b ->
                        b.jwt(
                            JwtSettings.of(
                                notJwks.toString(), TestIssuer.ISSUER, "a", null, null))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--jwt-jwks")
        .hasMessageContaining("not a JWKS");
    assertThat(JwtSettings.of(null, null, null, null, null)).isNull();
  }
}

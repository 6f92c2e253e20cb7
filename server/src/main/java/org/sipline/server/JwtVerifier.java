package org.sipline.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.Status;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Checks a bearer token that is a JWT from the OIDC provider (SPEC §8): signed RS256 or ES256 with
 * one of the provider's keys, within its {@code exp} and {@code nbf} (give or take {@link
 * #CLOCK_SKEW}), from {@code --jwt-issuer}, for {@code --jwt-audience}, and holding the required
 * role or scope if one is configured. Parsing and signature checks are Nimbus JOSE+JWT's; the
 * policy (which algorithms, which key, which claims) is here, so that each refusal names the check
 * that failed. A refusal never quotes the token.
 */
final class JwtVerifier {
  /** How far {@code exp} and {@code nbf} may be off: clocks of provider and sipline differ. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private final JwtSettings settings;
  private final JwksSource keys;
  private final Clock clock;

  JwtVerifier(JwtSettings settings, JwksSource keys, Clock clock) {
    this.settings = settings;
    this.keys = keys;
    this.clock = clock;
  }

  /** A verifier over the file or URL {@code settings} name. */
  static JwtVerifier create(JwtSettings settings) {
    Clock clock = Clock.systemUTC();
    JwksSource source =
        settings.jwksIsUrl()
            ? new JwksUrl(URI.create(settings.jwks()), clock, JwksUrl.DEFAULT_MIN_GAP)
            : new JwksFile(Path.of(settings.jwks()), clock);
    return new JwtVerifier(settings, source, clock);
  }

  String describe() {
    return "JWTs from " + settings.issuer() + " (keys: " + keys.describe() + ")";
  }

  /** Whether {@code token} is shaped like a compact JWT (header.payload.signature). */
  static boolean looksLikeJwt(String token) {
    return token.chars().filter(c -> c == '.').count() == 2;
  }

  /**
   * Whether checking {@code token} would wait for the provider (a key fetch is due), so the check
   * must run on a thread that may block.
   */
  boolean wouldBlock(String token) {
    try {
      JWT jwt = JWTParser.parse(token);
      return jwt instanceof SignedJWT s && keys.wouldBlock(s.getHeader().getKeyID());
    } catch (ParseException e) {
      return false; // refused without keys
    }
  }

  /**
   * Checks {@code token}; returns null when it passes every check, else the refusal.
   *
   * @param mayBlock whether a due key fetch may be waited for here
   */
  Refusal check(String token, boolean mayBlock) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      return Refusal.unauthenticated("malformed JWT: not a compact JWS (header.payload.signature)");
    }
    if (jwt instanceof PlainJWT) {
      return Refusal.unauthenticated("JWT alg 'none' (unsigned) is not accepted");
    }
    if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
      return Refusal.unauthenticated("encrypted JWT (JWE) is not accepted");
    }
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
      return Refusal.unauthenticated(
          "JWT alg "
              + alg
              + " (HMAC) is not accepted: tokens must be signed RS256 or ES256 with the"
              + " provider's private key");
    }
    if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
      return Refusal.unauthenticated("JWT alg " + alg + " is not accepted: only RS256 and ES256");
    }
    String kid = signed.getHeader().getKeyID();
    Refusal bad = verifySignature(signed, alg, kid, keys.keysFor(kid, mayBlock));
    if (bad != null) {
      return bad;
    }
    JWTClaimsSet claims;
    try {
      claims = signed.getJWTClaimsSet();
    } catch (ParseException e) {
      return Refusal.unauthenticated("malformed JWT: its payload is not a JSON claims set");
    }
    return checkClaims(claims);
  }

  private static Refusal verifySignature(
      SignedJWT signed, JWSAlgorithm alg, String kid, JWKSet known) {
    KeyType type = JWSAlgorithm.RS256.equals(alg) ? KeyType.RSA : KeyType.EC;
    List<JWK> candidates = new ArrayList<>();
    if (kid != null) {
      JWK key = known.getKeyByKeyId(kid);
      if (key == null) {
        return Refusal.unauthenticated(
            "JWT kid '"
                + BearerTokenInterceptor.printable(kid)
                + "' is not among the provider's keys (--jwt-jwks)");
      }
      if (!type.equals(key.getKeyType())
          || (key.getAlgorithm() != null && !alg.equals(key.getAlgorithm()))) {
        return Refusal.unauthenticated(
            "JWT alg " + alg + " does not fit the provider's key '" + printable(kid) + "'");
      }
      candidates.add(key);
    } else {
      for (JWK k : known.getKeys()) {
        if (type.equals(k.getKeyType())
            && (k.getAlgorithm() == null || alg.equals(k.getAlgorithm()))) {
          candidates.add(k);
        }
      }
      if (candidates.isEmpty()) {
        return Refusal.unauthenticated(
            "JWT names no kid and the provider has no " + type + " key for " + alg);
      }
    }
    for (JWK k : candidates) {
      try {
        JWSVerifier verifier =
            KeyType.RSA.equals(type)
                ? new RSASSAVerifier((RSAKey) k)
                : new ECDSAVerifier((ECKey) k);
        if (signed.verify(verifier)) {
          return null;
        }
      } catch (JOSEException | ClassCastException e) {
        // A key that cannot verify this token (wrong curve, unusable parameters) is no match.
      }
    }
    return Refusal.unauthenticated(
        kid != null
            ? "JWT signature does not verify with the provider's key '" + printable(kid) + "'"
            : "JWT signature does not verify with any of the provider's " + type + " keys");
  }

  private Refusal checkClaims(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return Refusal.unauthenticated("JWT has no exp (expiry) claim");
    }
    if (!now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
      return Refusal.unauthenticated(
          "JWT expired at " + exp.toInstant() + " (clock skew allowed: " + skew() + ")");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(CLOCK_SKEW))) {
      return Refusal.unauthenticated(
          "JWT is not valid before " + nbf.toInstant() + " (clock skew allowed: " + skew() + ")");
    }
    if (!settings.issuer().equals(claims.getIssuer())) {
      return Refusal.unauthenticated(
          "JWT iss is not the expected issuer (--jwt-issuer " + settings.issuer() + ")");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(settings.audience())) {
      return Refusal.unauthenticated(
          "JWT aud does not contain the expected audience (--jwt-audience "
              + settings.audience()
              + ")");
    }
    if (settings.requiredRole() != null && !hasRole(claims, settings.requiredRole())) {
      return Refusal.permissionDenied(
          "JWT lacks the role '" + settings.requiredRole() + "' (--jwt-required-role)");
    }
    if (settings.requiredScope() != null && !hasScope(claims, settings.requiredScope())) {
      return Refusal.permissionDenied(
          "JWT lacks the scope '" + settings.requiredScope() + "' (--jwt-required-scope)");
    }
    return null;
  }

  /** Keycloak's shape: realm_access.roles, resource_access.CLIENT.roles. */
  static boolean hasRole(JWTClaimsSet claims, String required) {
    int colon = required.indexOf(':');
    Object holder;
    String role;
    if (colon < 0) {
      holder = claims.getClaim("realm_access");
      role = required;
    } else {
      Object clients = claims.getClaim("resource_access");
      holder = clients instanceof Map<?, ?> m ? m.get(required.substring(0, colon)) : null;
      role = required.substring(colon + 1);
    }
    return holder instanceof Map<?, ?> h
        && h.get("roles") instanceof List<?> roles
        && roles.contains(role);
  }

  /** OAuth 2.0's space-separated {@code scope}, or the {@code scp} array some providers send. */
  static boolean hasScope(JWTClaimsSet claims, String required) {
    Object scope = claims.getClaim("scope");
    if (scope instanceof String s) {
      for (String one : s.trim().split("\\s+")) {
        if (one.equals(required)) {
          return true;
        }
      }
    }
    return claims.getClaim("scp") instanceof List<?> scp && scp.contains(required);
  }

  private static String skew() {
    return CLOCK_SKEW.toSeconds() + " s";
  }

  private static String printable(String s) {
    return BearerTokenInterceptor.printable(s);
  }

  /** Why a token is refused: UNAUTHENTICATED, or PERMISSION_DENIED for a missing role or scope. */
  record Refusal(Status.Code code, String reason) {
    static Refusal unauthenticated(String reason) {
      return new Refusal(Status.Code.UNAUTHENTICATED, reason);
    }

    static Refusal permissionDenied(String reason) {
      return new Refusal(Status.Code.PERMISSION_DENIED, reason);
    }
  }
}

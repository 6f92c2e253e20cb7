package org.sipline.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A stand-in OIDC provider for tests: keys generated here (RSA 2048 and EC P-256), its JWKS, and
 * tokens shaped like Keycloak's access tokens, minted with whatever flaw a test needs.
 */
final class TestIssuer {
  static final String ISSUER = "https://keycloak.test/realms/bots";
  static final String AUDIENCE = "sipline";

  private TestIssuer() {}

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public JWKS of {@code keys}, as the provider serves it. */
  static String jwks(JWK... keys) {
    List<JWK> list = new ArrayList<>(List.of(keys));
    return new JWKSet(list).toPublicJWKSet().toString();
  }

  /** Replaces {@code file} at once (as a deployment's key sync would), never half-written. */
  static void writeJwks(Path file, JWK... keys) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, jwks(keys), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Claims of a good Keycloak access token for the bot client, valid for five minutes. */
  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(List.of(AUDIENCE, "account"))
        .subject("7f1c0e1a-bot")
        .claim("azp", "voice-bot")
        .claim("typ", "Bearer")
        .claim("scope", "openid profile sip")
        .claim("realm_access", Map.of("roles", List.of("offline_access", "sip-operator")))
        .claim("resource_access", Map.of("sipline", Map.of("roles", List.of("caller"))))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
  }

  static String sign(JWK key, JWTClaimsSet claims) {
    return sign(key, key.getKeyID(), claims);
  }

  /** Signs with {@code key} (RS256 for RSA, ES256 for EC) and puts {@code kid} in the header. */
  static String sign(JWK key, String kid, JWTClaimsSet claims) {
    try {
      JWSSigner signer;
      JWSAlgorithm alg;
      if (key instanceof RSAKey r) {
        signer = new RSASSASigner(r);
        alg = JWSAlgorithm.RS256;
      } else {
        signer = new ECDSASigner((ECKey) key);
        alg = JWSAlgorithm.ES256;
      }
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWK key, UnaryOperator<JWTClaimsSet.Builder> flaw) {
    return sign(key, flaw.apply(claims()).build());
  }

  /** The "alg: none" attack: the claims, unsigned. */
  static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /**
   * The HMAC key-confusion attack: HS256 keyed with the provider's public RSA key, which a naive
   * verifier would use as the HMAC secret.
   */
  static String hmacWithPublicKey(RSAKey key, JWTClaimsSet claims) {
    try {
      byte[] secret = key.toRSAPublicKey().getEncoded();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}

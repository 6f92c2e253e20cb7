package org.sipline.server;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/** Turns a JWKS document into the keys a token may be checked with. */
final class JwksParsing {
  private JwksParsing() {}

  /**
   * The RSA and EC public keys of {@code json} meant for signatures (no {@code use}, or {@code
   * sig}). Private parts are dropped; symmetric keys are never used, so a token "signed" with a
   * published key as an HMAC secret cannot pass.
   *
   * @throws ParseException when {@code json} is not a JWKS or holds no such key
   */
  static JWKSet publicSigningKeys(String json) throws ParseException {
    JWKSet all;
    try {
      all = JWKSet.parse(json);
    } catch (ParseException e) {
      // Nimbus' message may quote the document; the position is all a reader needs.
      throw new ParseException("not a JWKS (JSON with a \"keys\" array of JWKs)", 0);
    }
    List<JWK> keys = new ArrayList<>();
    for (JWK k : all.toPublicJWKSet().getKeys()) {
      boolean asymmetric = KeyType.RSA.equals(k.getKeyType()) || KeyType.EC.equals(k.getKeyType());
      boolean forSigning = k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse());
      if (asymmetric && forSigning) {
        keys.add(k);
      }
    }
    if (keys.isEmpty()) {
      throw new ParseException("holds no RSA or EC public key for signatures", 0);
    }
    return new JWKSet(keys);
  }
}

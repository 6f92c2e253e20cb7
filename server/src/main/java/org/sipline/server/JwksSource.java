package org.sipline.server;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * The OIDC provider's public keys (a JWKS), kept as fresh as their source allows so that a key
 * rotation needs no restart: {@link JwksFile} re-reads its file when it changes, {@link JwksUrl}
 * re-fetches when its cache expires or a token names a key it does not know.
 */
interface JwksSource {
  /**
   * The keys to check a token with key id {@code kid} (null when the token names none) against,
   * refreshed first when that is due.
   *
   * @param mayBlock whether the caller may wait for the network; when false, a refresh that needs
   *     it is left for a later call that may, and the keys at hand are returned
   */
  JWKSet keysFor(String kid, boolean mayBlock);

  /** Whether {@link #keysFor} for {@code kid} would wait for the network now. */
  boolean wouldBlock(String kid);

  /** Where the keys come from, for logs and refusals. */
  String describe();
}

package org.sipline.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How JWT bearer tokens from an OIDC provider (Keycloak, for ONDEWO's clients) are checked: where
 * the provider's keys are, and what the token must say. Checked once at start; a value that cannot
 * work is refused with an {@link InvalidConfigException} naming its flag.
 *
 * @param jwks a JWKS file, or an {@code http(s)://} URL serving one (the provider's {@code
 *     jwks_uri}, Keycloak's {@code <realm>/protocol/openid-connect/certs})
 * @param issuer the {@code iss} every token must carry (Keycloak: {@code <base>/realms/<realm>})
 * @param audience a value the token's {@code aud} must contain
 * @param requiredRole null, {@code ROLE} (a realm role: {@code realm_access.roles}) or {@code
 *     CLIENT:ROLE} (a client role: {@code resource_access.CLIENT.roles})
 * @param requiredScope null, or a scope the token's {@code scope} must list
 */
record JwtSettings(
    String jwks, String issuer, String audience, String requiredRole, String requiredScope) {

  JwtSettings {
    jwks = blankToNull(jwks);
    issuer = blankToNull(issuer);
    audience = blankToNull(audience);
    requiredRole = blankToNull(requiredRole);
    requiredScope = blankToNull(requiredScope);
    if (jwks == null) {
      throw new InvalidConfigException("--jwt-jwks", "missing");
    }
    if (isUrl(jwks)) {
      requireUrl(jwks);
    } else {
      Path file = Path.of(jwks);
      if (!(Files.isRegularFile(file) && Files.isReadable(file))) {
        throw new InvalidConfigException(
            "--jwt-jwks", jwks + " is neither an http(s) URL nor a readable file");
      }
    }
    if (issuer == null) {
      throw new InvalidConfigException(
          "--jwt-issuer", "missing: tokens are only checked against a known issuer");
    }
    if (audience == null) {
      throw new InvalidConfigException(
          "--jwt-audience", "missing: tokens are only checked against a known audience");
    }
    if (requiredRole != null
        && (requiredRole.startsWith(":")
            || requiredRole.endsWith(":")
            || requiredRole.chars().filter(c -> c == ':').count() > 1)) {
      throw new InvalidConfigException(
          "--jwt-required-role", "'" + requiredRole + "' is neither ROLE nor CLIENT:ROLE");
    }
    if (requiredScope != null && requiredScope.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidConfigException(
          "--jwt-required-scope", "'" + requiredScope + "' holds a space: give one scope");
    }
  }

  /**
   * The settings the flags give, or null when none of them is set.
   *
   * @throws InvalidConfigException when a {@code --jwt-*} flag is set without {@code --jwt-jwks},
   *     or the set ones cannot work
   */
  static JwtSettings of(
      String jwks, String issuer, String audience, String requiredRole, String requiredScope) {
    if (blankToNull(jwks) == null) {
      String stray =
          blankToNull(issuer) != null
              ? "--jwt-issuer"
              : blankToNull(audience) != null
                  ? "--jwt-audience"
                  : blankToNull(requiredRole) != null
                      ? "--jwt-required-role"
                      : blankToNull(requiredScope) != null ? "--jwt-required-scope" : null;
      if (stray != null) {
        throw new InvalidConfigException(stray, "needs --jwt-jwks");
      }
      return null;
    }
    return new JwtSettings(jwks, issuer, audience, requiredRole, requiredScope);
  }

  /** Whether the keys come from a URL rather than a file. */
  boolean jwksIsUrl() {
    return isUrl(jwks);
  }

  private static boolean isUrl(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  private static void requireUrl(String s) {
    try {
      URI uri = new URI(s);
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new InvalidConfigException("--jwt-jwks", s + " has no host");
      }
    } catch (URISyntaxException e) {
      throw new InvalidConfigException("--jwt-jwks", s + " is not a URL: " + e.getReason());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}

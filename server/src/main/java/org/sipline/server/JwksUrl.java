package org.sipline.server;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWKS served by the OIDC provider ({@code jwks_uri}). The keys are cached for the response's
 * {@code Cache-Control: max-age} (within 10 s..24 h; 5 min when it gives none) and fetched again
 * when that expires, or when a token names a key id the cache lacks (a rotation). Fetches are
 * rate-limited: at most one attempt per {@code minGap} (10 s by default), so a flood of tokens with
 * made-up key ids cannot turn sipline against its provider. A failed fetch keeps the last good keys
 * in use, with a warning. Fetches block (5 s bound each), so they are only made where the caller
 * may block; see {@link #wouldBlock}.
 */
final class JwksUrl implements JwksSource {
  private static final Logger log = LoggerFactory.getLogger(JwksUrl.class);
  static final Duration DEFAULT_MIN_GAP = Duration.ofSeconds(10);
  private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
  private static final Duration MIN_TTL = Duration.ofSeconds(10);
  private static final Duration MAX_TTL = Duration.ofHours(24);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_BYTES = 1024 * 1024;
  private static final Pattern MAX_AGE = Pattern.compile("(?:^|,)\\s*max-age\\s*=\\s*(\\d+)");

  private final URI uri;
  private final Clock clock;
  private final Duration minGap;
  private final HttpClient http;

  /** What the last fetch left: the keys (empty before a first success) and when they expire. */
  private record Cache(JWKSet keys, Instant expires, Instant lastAttempt) {}

  private volatile Cache cache;

  /**
   * Fetches the keys once; a provider that is down at start is logged and asked again on the first
   * token.
   */
  JwksUrl(URI uri, Clock clock, Duration minGap) {
    this.uri = uri;
    this.clock = clock;
    this.minGap = minGap;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.cache = new Cache(new JWKSet(), Instant.MIN, Instant.MIN);
    fetch("start");
  }

  // Identity, not equality: the question is whether another thread replaced the snapshot.
  @SuppressWarnings("ReferenceEquality")
  @Override
  public JWKSet keysFor(String kid, boolean mayBlock) {
    Cache c = cache;
    if (mayBlock && due(c, kid)) {
      synchronized (this) {
        if (cache == c) { // no other check fetched meanwhile
          fetch(c.keys.getKeys().isEmpty() ? "no keys yet" : reason(c, kid));
        }
      }
    }
    return cache.keys;
  }

  @Override
  public boolean wouldBlock(String kid) {
    return due(cache, kid);
  }

  @Override
  public String describe() {
    return "URL " + uri;
  }

  private boolean due(Cache c, String kid) {
    Instant now = clock.instant();
    if (!now.isAfter(c.lastAttempt.plus(minGap)) && !c.lastAttempt.equals(Instant.MIN)) {
      return false;
    }
    boolean expired = !now.isBefore(c.expires);
    boolean unknown = kid != null && c.keys.getKeyByKeyId(kid) == null;
    return expired || unknown;
  }

  private static String reason(Cache c, String kid) {
    return kid != null && c.keys.getKeyByKeyId(kid) == null
        ? "unknown kid '" + BearerTokenInterceptor.printable(kid) + "'"
        : "cache expired";
  }

  private void fetch(String why) {
    Instant started = clock.instant();
    Cache before = cache;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(TIMEOUT)
              .header("Accept", "application/json, application/jwk-set+json")
              .GET()
              .build();
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = response.body()) {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          throw new IOException("response larger than " + MAX_BYTES + " bytes");
        }
        body = new String(bytes, StandardCharsets.UTF_8);
      }
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      JWKSet keys = JwksParsing.publicSigningKeys(body);
      Duration ttl = ttl(response.headers().allValues("Cache-Control"));
      cache = new Cache(keys, started.plus(ttl), started);
      log.info(
          "JWKS {} fetched ({}): {} key(s), cached for {} s",
          uri,
          why,
          keys.getKeys().size(),
          ttl.toSeconds());
    } catch (IOException | ParseException e) {
      cache = new Cache(before.keys, before.expires, started);
      log.warn(
          "JWKS {} could not be fetched ({}): {}; {}",
          uri,
          why,
          e.getMessage(),
          before.keys.getKeys().isEmpty()
              ? "no JWT can be accepted until it can"
              : "the last good keys stay in use");
    } catch (InterruptedException e) {
      cache = new Cache(before.keys, before.expires, started);
      Thread.currentThread().interrupt();
    }
  }

  /** The cache lifetime a Cache-Control header grants, within bounds. */
  static Duration ttl(List<String> cacheControl) {
    for (String v : cacheControl) {
      Matcher m = MAX_AGE.matcher(v.toLowerCase(Locale.ROOT));
      if (m.find()) {
        Duration d;
        try {
          d = Duration.ofSeconds(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
          d = MAX_TTL;
        }
        return d.compareTo(MIN_TTL) < 0 ? MIN_TTL : d.compareTo(MAX_TTL) > 0 ? MAX_TTL : d;
      }
    }
    return DEFAULT_TTL;
  }
}

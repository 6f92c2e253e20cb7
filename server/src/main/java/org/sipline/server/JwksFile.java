package org.sipline.server;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWKS in a local file (e.g. one an operator or a sidecar copies from the provider). The file is
 * looked at on every check: when its modification time, size or identity changed it is read again,
 * so a rotated key is used at once. A token naming a key the keys at hand lack also forces a
 * re-read (at most once a second), because a rewrite within the file system's time granularity
 * keeps the modification time. A file that turns unreadable or malformed keeps the last good keys
 * in use, with a warning.
 */
final class JwksFile implements JwksSource {
  private static final Logger log = LoggerFactory.getLogger(JwksFile.class);
  private static final Duration FORCED_REREAD_GAP = Duration.ofSeconds(1);
  private static final long MAX_BYTES = 1024 * 1024;

  private final Path file;
  private final Clock clock;

  private record Loaded(JWKSet keys, Object stamp) {}

  private volatile Loaded loaded;
  private Instant lastForced = Instant.MIN;
  private Object lastBadStamp;

  /**
   * @throws InvalidConfigException naming {@code --jwt-jwks} when the file is not a JWKS with at
   *     least one public signing key
   */
  JwksFile(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
    try {
      Object stamp = stamp();
      loaded = new Loaded(read(), stamp);
    } catch (IOException | ParseException e) {
      throw new InvalidConfigException("--jwt-jwks", file + ": " + e.getMessage());
    }
  }

  @Override
  public JWKSet keysFor(String kid, boolean mayBlock) {
    Loaded now = loaded;
    boolean force = kid != null && now.keys.getKeyByKeyId(kid) == null;
    return reload(now, force).keys;
  }

  @Override
  public boolean wouldBlock(String kid) {
    return false; // a local file is read where the check runs
  }

  @Override
  public String describe() {
    return "file " + file;
  }

  // Identity, not equality: the question is whether another thread replaced the snapshot.
  @SuppressWarnings("ReferenceEquality")
  private synchronized Loaded reload(Loaded seen, boolean force) {
    Loaded now = loaded;
    if (now != seen) {
      return now; // another check re-read it meanwhile
    }
    Object stamp;
    try {
      stamp = stamp();
    } catch (IOException e) {
      warnOnce("cannot be read", e.getMessage(), "gone");
      return now;
    }
    Instant t = clock.instant();
    boolean forcedNow = force && Duration.between(lastForced, t).compareTo(FORCED_REREAD_GAP) >= 0;
    if (Objects.equals(stamp, now.stamp) && !forcedNow) {
      return now;
    }
    if (forcedNow) {
      lastForced = t;
    }
    try {
      JWKSet keys = read();
      Loaded fresh = new Loaded(keys, stamp);
      if (!Objects.equals(stamp, now.stamp)) {
        log.info("JWKS {} changed: {} key(s) now", file, keys.getKeys().size());
      }
      lastBadStamp = null;
      loaded = fresh;
      return fresh;
    } catch (IOException | ParseException e) {
      warnOnce("is not a usable JWKS", e.getMessage(), stamp);
      return now;
    }
  }

  private void warnOnce(String what, String why, Object stamp) {
    if (!Objects.equals(stamp, lastBadStamp)) {
      lastBadStamp = stamp;
      log.warn("JWKS {} {} ({}); the last good keys stay in use", file, what, why);
    }
  }

  /** What identifies a version of the file: modification time, size and file key (inode). */
  private Object stamp() throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
  }

  private JWKSet read() throws IOException, ParseException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES + " bytes");
    }
    return JwksParsing.publicSigningKeys(Files.readString(file, StandardCharsets.UTF_8));
  }
}

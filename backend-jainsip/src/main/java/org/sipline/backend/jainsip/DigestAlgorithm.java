package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digest algorithms of RFC 7616 that SIP uses (RFC 8760), each with its "-sess" variant. */
enum DigestAlgorithm {
  MD5("MD5", "MD5", false),
  MD5_SESS("MD5-sess", "MD5", true),
  SHA_256("SHA-256", "SHA-256", false),
  SHA_256_SESS("SHA-256-sess", "SHA-256", true),
  SHA_512_256("SHA-512-256", "SHA-512/256", false),
  SHA_512_256_SESS("SHA-512-256-sess", "SHA-512/256", true);

  private final String wireName;
  private final String javaName;
  private final boolean session;

  DigestAlgorithm(String wireName, String javaName, boolean session) {
    this.wireName = wireName;
    this.javaName = javaName;
    this.session = session;
  }

  /** The algorithm named {@code name} in a challenge (case-insensitive), or null if unknown. */
  static DigestAlgorithm byWireName(String name) {
    for (DigestAlgorithm a : values()) {
      if (a.wireName.equalsIgnoreCase(name)) {
        return a;
      }
    }
    return null;
  }

  String wireName() {
    return wireName;
  }

  /** Whether HA1 mixes in the nonce and cnonce ("-sess", RFC 7616 §3.4.2). */
  boolean isSession() {
    return session;
  }

  /** Lower-case hex of the hash of {@code text} in UTF-8, as RFC 7616 §3.4 writes H(). */
  String hash(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance(javaName);
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      // Every Java 17 runtime ships MD5, SHA-256 and SHA-512/256.
      throw new IllegalStateException("JRE lacks " + javaName, e);
    }
  }

  /** Lower-case hex of the hash of raw bytes (the body in qop=auth-int). */
  String hash(byte[] bytes) {
    try {
      MessageDigest md = MessageDigest.getInstance(javaName);
      return HexFormat.of().formatHex(md.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JRE lacks " + javaName, e);
    }
  }

  @Override
  public String toString() {
    return wireName;
  }
}

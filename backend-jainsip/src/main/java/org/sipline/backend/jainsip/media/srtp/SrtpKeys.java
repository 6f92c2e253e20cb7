package org.sipline.backend.jainsip.media.srtp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One direction's SRTP master key and salt with their suite, as an SDES crypto line carries them.
 * {@link #toString} never shows the key: these objects end up in log lines by accident otherwise.
 */
public final class SrtpKeys {
  private final SrtpSuite suite;
  private final byte[] key;
  private final byte[] salt;

  private SrtpKeys(SrtpSuite suite, byte[] key, byte[] salt) {
    this.suite = suite;
    this.key = key;
    this.salt = salt;
  }

  /**
   * Keys from their bytes (copied).
   *
   * @param suite the suite they are for
   * @param key the 16-byte master key
   * @param salt the 14-byte master salt
   * @return the keys
   * @throws IllegalArgumentException when the key or salt has the wrong length (the lengths are
   *     said, the bytes never)
   */
  public static SrtpKeys of(SrtpSuite suite, byte[] key, byte[] salt) {
    Objects.requireNonNull(suite, "suite");
    if (key.length != SrtpSuite.KEY_LENGTH) {
      throw new IllegalArgumentException(
          "SRTP master key of " + key.length + " bytes, " + suite + " needs 16");
    }
    if (salt.length != SrtpSuite.SALT_LENGTH) {
      throw new IllegalArgumentException(
          "SRTP master salt of " + salt.length + " bytes, " + suite + " needs 14");
    }
    return new SrtpKeys(suite, key.clone(), salt.clone());
  }

  /**
   * A fresh random key and salt (RFC 4568 §6.1: each side picks its own for what it sends).
   *
   * @param suite the suite they are for
   * @param random where the bytes come from
   * @return the keys
   */
  public static SrtpKeys generate(SrtpSuite suite, SecureRandom random) {
    byte[] key = new byte[SrtpSuite.KEY_LENGTH];
    byte[] salt = new byte[SrtpSuite.SALT_LENGTH];
    random.nextBytes(key);
    random.nextBytes(salt);
    return new SrtpKeys(suite, key, salt);
  }

  /**
   * The key and salt of an SDES {@code inline:} parameter: base64 of key || salt (RFC 4568 §6.1).
   *
   * @param suite the suite of the crypto line
   * @param base64 the parameter after {@code inline:}, without lifetime or MKI
   * @return the keys
   * @throws IllegalArgumentException when it is not base64 or not 30 bytes long
   */
  public static SrtpKeys fromInline(SrtpSuite suite, String base64) {
    byte[] both;
    try {
      both = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SDES key is not base64", e);
    }
    int want = SrtpSuite.KEY_LENGTH + SrtpSuite.SALT_LENGTH;
    if (both.length != want) {
      Arrays.fill(both, (byte) 0);
      throw new IllegalArgumentException(
          "SDES key||salt of " + both.length + " bytes, " + suite + " needs " + want);
    }
    SrtpKeys keys =
        new SrtpKeys(
            suite,
            Arrays.copyOfRange(both, 0, SrtpSuite.KEY_LENGTH),
            Arrays.copyOfRange(both, SrtpSuite.KEY_LENGTH, want));
    Arrays.fill(both, (byte) 0);
    return keys;
  }

  /**
   * Base64 of key || salt, for an SDES {@code inline:} parameter.
   *
   * @return the base64 text
   */
  public String inline() {
    byte[] both = new byte[SrtpSuite.KEY_LENGTH + SrtpSuite.SALT_LENGTH];
    System.arraycopy(key, 0, both, 0, key.length);
    System.arraycopy(salt, 0, both, key.length, salt.length);
    String text = Base64.getEncoder().encodeToString(both);
    Arrays.fill(both, (byte) 0);
    return text;
  }

  /**
   * The suite the keys are for.
   *
   * @return the suite
   */
  public SrtpSuite suite() {
    return suite;
  }

  byte[] key() {
    return key;
  }

  byte[] salt() {
    return salt;
  }

  /**
   * Same suite, key and salt (a re-INVITE that repeats its crypto keeps the context).
   *
   * @param other keys to compare with, or null
   * @return whether they are the same
   */
  public boolean sameAs(SrtpKeys other) {
    return other != null
        && suite == other.suite
        && java.security.MessageDigest.isEqual(key, other.key)
        && java.security.MessageDigest.isEqual(salt, other.salt);
  }

  @Override
  public String toString() {
    return "SrtpKeys[" + suite + ", key hidden]";
  }
}

package org.sipline.backend.jainsip.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as RFC 3711 §4.1.1 uses it: the keystream is AES of IV, IV + 1, IV + 2, …
 * XORed over the data. The counter blocks are built here and put through the JDK's AES in ECB mode,
 * all in buffers made once: the JDK's {@code AES/CTR} would take the same blocks but needs a {@code
 * Cipher.init} with a fresh {@code IvParameterSpec} (a copied array and a key re-check) for every
 * packet. One instance per stream and thread.
 */
final class AesCounterMode {
  static final int BLOCK = 16;

  private final Cipher aes;
  private final byte[] counters;
  private final byte[] keystream;

  /**
   * @param maxLength the longest data {@link #apply} will be given
   */
  AesCounterMode(byte[] key, int maxLength) {
    try {
      aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    } catch (GeneralSecurityException e) {
      // AES is one of the algorithms every Java platform must have (Cipher's documentation).
      throw new IllegalStateException("this JVM has no AES", e);
    }
    int blocks = (maxLength + BLOCK - 1) / BLOCK;
    counters = new byte[blocks * BLOCK];
    keystream = new byte[blocks * BLOCK];
  }

  /** XORs {@code data[offset, offset + length)} with the keystream that starts at {@code iv}. */
  void apply(byte[] iv, byte[] data, int offset, int length) {
    if (length <= 0) {
      return;
    }
    int blocks = (length + BLOCK - 1) / BLOCK;
    if (blocks * BLOCK > counters.length) {
      throw new IllegalArgumentException(
          "AES-CM data of " + length + " bytes, room for " + counters.length);
    }
    System.arraycopy(iv, 0, counters, 0, BLOCK);
    for (int b = 1; b < blocks; b++) {
      int at = b * BLOCK;
      System.arraycopy(counters, at - BLOCK, counters, at, BLOCK);
      // The 128-bit counter plus one, carrying from the last byte.
      for (int i = at + BLOCK - 1; i >= at; i--) {
        if (++counters[i] != 0) {
          break;
        }
      }
    }
    try {
      aes.update(counters, 0, blocks * BLOCK, keystream, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("keystream buffer sized with the counters", e);
    }
    for (int i = 0; i < length; i++) {
      data[offset + i] ^= keystream[i];
    }
  }
}

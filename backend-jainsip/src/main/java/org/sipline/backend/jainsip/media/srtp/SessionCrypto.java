package org.sipline.backend.jainsip.media.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session keys of one SRTP or SRTCP stream (§4.3: encryption key, salt and authentication key
 * derived from the master once) with the AES-CM and HMAC-SHA1 they drive. Buffers and JDK instances
 * are made once; one instance per direction, kind (RTP or RTCP) and thread.
 */
final class SessionCrypto {
  private final AesCounterMode cipher;
  private final Mac mac;
  private final byte[] salt;
  private final byte[] iv = new byte[AesCounterMode.BLOCK];
  private final byte[] roc = new byte[4];
  private final byte[] tag;

  /**
   * @param rtcp true for SRTCP's labels (3, 4, 5), false for SRTP's (0, 1, 2)
   * @param maxLength the longest data to encrypt
   */
  SessionCrypto(SrtpKeys master, boolean rtcp, int maxLength) {
    int base = rtcp ? KeyDerivation.RTCP_ENCRYPTION : KeyDerivation.RTP_ENCRYPTION;
    byte[] encryption =
        KeyDerivation.derive(master.key(), master.salt(), base, SrtpSuite.KEY_LENGTH);
    byte[] authentication =
        KeyDerivation.derive(master.key(), master.salt(), base + 1, KeyDerivation.AUTH_KEY_LENGTH);
    salt = KeyDerivation.derive(master.key(), master.salt(), base + 2, SrtpSuite.SALT_LENGTH);
    cipher = new AesCounterMode(encryption, maxLength);
    try {
      mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authentication, "HmacSHA1"));
      tag = new byte[mac.getMacLength()];
    } catch (GeneralSecurityException e) {
      // HmacSHA1 is one of the algorithms every Java platform must have (Mac's documentation).
      throw new IllegalStateException("this JVM has no HmacSHA1", e);
    } finally {
      Arrays.fill(encryption, (byte) 0);
      Arrays.fill(authentication, (byte) 0);
    }
  }

  /**
   * Encrypts or decrypts {@code data[offset, offset + length)} for the packet of {@code ssrc} and
   * {@code index} (§4.1.1: IV = salt * 2^16 XOR SSRC * 2^64 XOR index * 2^16).
   */
  void crypt(long ssrc, long index, byte[] data, int offset, int length) {
    System.arraycopy(salt, 0, iv, 0, SrtpSuite.SALT_LENGTH);
    iv[14] = 0;
    iv[15] = 0;
    for (int i = 0; i < 4; i++) {
      iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
    }
    for (int i = 0; i < 6; i++) {
      iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
    }
    cipher.apply(iv, data, offset, length);
  }

  /**
   * HMAC-SHA1 of {@code data[offset, offset + length)}, followed by the rollover counter when
   * {@code rolloverCounter >= 0} (SRTP's authenticated portion, §4.2), into {@link #tag}.
   */
  private void mac(byte[] data, int offset, int length, long rolloverCounter) {
    mac.update(data, offset, length);
    if (rolloverCounter >= 0) {
      roc[0] = (byte) (rolloverCounter >>> 24);
      roc[1] = (byte) (rolloverCounter >>> 16);
      roc[2] = (byte) (rolloverCounter >>> 8);
      roc[3] = (byte) rolloverCounter;
      mac.update(roc, 0, 4);
    }
    try {
      // The JDK's HMAC hands its result over in a new 20-byte array here; the one allocation per
      // packet that javax.crypto does not let us avoid.
      mac.doFinal(tag, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("tag buffer sized with the MAC", e);
    }
  }

  /** Writes the first {@code tagLength} bytes of the tag over the data to {@code out[at]}. */
  void sign(byte[] data, int offset, int length, long rolloverCounter, int tagLength, int at) {
    mac(data, offset, length, rolloverCounter);
    System.arraycopy(tag, 0, data, at, tagLength);
  }

  /** Whether {@code data[at, at + tagLength)} is the tag of the data; in constant time. */
  boolean verify(byte[] data, int offset, int length, long rolloverCounter, int tagLength, int at) {
    mac(data, offset, length, rolloverCounter);
    int difference = 0;
    for (int i = 0; i < tagLength; i++) {
      difference |= tag[i] ^ data[at + i];
    }
    return difference == 0;
  }
}

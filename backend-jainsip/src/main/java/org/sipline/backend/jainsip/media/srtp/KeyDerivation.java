package org.sipline.backend.jainsip.media.srtp;

/**
 * RFC 3711 §4.3's key derivation with a key_derivation_rate of 0 (the SDES default, and all that
 * sipline accepts): each session key is the AES-CM keystream under the master key, from an IV of
 * the master salt XOR the label in its eighth byte.
 */
final class KeyDerivation {
  static final int RTP_ENCRYPTION = 0x00;
  static final int RTP_AUTHENTICATION = 0x01;
  static final int RTP_SALT = 0x02;
  static final int RTCP_ENCRYPTION = 0x03;
  static final int RTCP_AUTHENTICATION = 0x04;
  static final int RTCP_SALT = 0x05;

  /** HMAC-SHA1's key: 160 bits (§4.2.1's n_a for the default transform). */
  static final int AUTH_KEY_LENGTH = 20;

  private KeyDerivation() {}

  /** The session key of {@code label}, {@code length} bytes long. */
  static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
    // key_id = label || r, r = 0 with kdr 0; x = key_id XOR master_salt, IV = x * 2^16.
    byte[] iv = new byte[AesCounterMode.BLOCK];
    System.arraycopy(masterSalt, 0, iv, 0, SrtpSuite.SALT_LENGTH);
    iv[7] ^= (byte) label;
    byte[] out = new byte[length];
    new AesCounterMode(masterKey, length).apply(iv, out, 0, length);
    return out;
  }
}

package org.sipline.backend.jainsip;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;
import org.sipline.backend.jainsip.media.srtp.SrtpKeys;
import org.sipline.backend.jainsip.media.srtp.SrtpSuite;

/**
 * One SDES crypto attribute (RFC 4568 §9.1): {@code a=crypto:<tag> <suite>
 * inline:<base64>[|lifetime][|MKI:length] [session-params]}, as far as sipline takes it.
 *
 * <p>The attribute comes from the peer's SDP, so it is read strictly: one key (no MKI), a lifetime
 * only when it is at least {@link #MIN_LIFETIME} packets (we do not re-key when a lifetime runs
 * out, so a shorter one could not be honoured), and no session parameters but a window-size hint
 * and {@code KDR=0}. Anything else refuses the line with a reason that never quotes the key; the
 * SDP around it stands, and another crypto line may be taken instead.
 *
 * @param tag the attribute's tag, echoed in the answer
 * @param keys its suite and master key and salt
 */
record SdesCrypto(long tag, SrtpKeys keys) {
  /** The least lifetime taken: 2^31 packets, over a year of one call's 20 ms packets. */
  static final BigInteger MIN_LIFETIME = BigInteger.TWO.pow(31);

  /** RFC 3711's ceiling for an SRTP master key: 2^48 packets. */
  static final BigInteger MAX_LIFETIME = BigInteger.TWO.pow(48);

  private static final Pattern TAG = Pattern.compile("[0-9]{1,9}");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
  private static final Pattern WSH = Pattern.compile("WSH=[0-9]{1,9}");

  /**
   * Parses the value of an {@code a=crypto:} attribute (what follows the colon).
   *
   * @throws IllegalArgumentException naming what is wrong or unsupported; never the key
   */
  static SdesCrypto parse(String value) {
    String[] fields = value.strip().split("[ \t]+");
    if (fields.length < 3) {
      throw new IllegalArgumentException("crypto line needs a tag, a suite and key parameters");
    }
    if (!TAG.matcher(fields[0]).matches()) {
      throw new IllegalArgumentException("crypto tag '" + cut(fields[0]) + "' is not 1-9 digits");
    }
    long tag = Long.parseLong(fields[0]);
    SrtpSuite suite =
        SrtpSuite.bySdesName(fields[1])
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "crypto suite '" + cut(fields[1]) + "' is not one sipline speaks"));
    String keyParams = fields[2];
    if (keyParams.contains(";")) {
      throw new IllegalArgumentException("crypto line with more than one key (MKI) is not taken");
    }
    if (!keyParams.regionMatches(true, 0, "inline:", 0, 7)) {
      throw new IllegalArgumentException("crypto key method is not inline:");
    }
    String[] parts = keyParams.substring(7).split("\\|", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException("crypto key has more than lifetime and MKI after it");
    }
    if (!BASE64.matcher(parts[0]).matches()) {
      throw new IllegalArgumentException("crypto key is not base64");
    }
    SrtpKeys keys = SrtpKeys.fromInline(suite, parts[0]);
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].contains(":")) {
        throw new IllegalArgumentException(
            "crypto key with an MKI (" + cut(parts[i]) + ") is not taken: sipline sends none");
      }
      lifetime(parts[i]);
    }
    for (int i = 3; i < fields.length; i++) {
      sessionParameter(fields[i]);
    }
    return new SdesCrypto(tag, keys);
  }

  private static void lifetime(String text) {
    BigInteger packets;
    boolean power = text.startsWith("2^");
    String digits = power ? text.substring(2) : text;
    if (!digits.matches("[0-9]{1,20}")) {
      throw new IllegalArgumentException("crypto key lifetime '" + cut(text) + "' is no number");
    }
    if (power) {
      // Checked before the power is taken: 2^999999999 would take a while.
      int exponent = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
      packets = exponent > 48 ? MAX_LIFETIME.add(BigInteger.ONE) : BigInteger.TWO.pow(exponent);
    } else {
      packets = new BigInteger(digits);
    }
    if (packets.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException(
          "crypto key lifetime " + cut(text) + " exceeds SRTP's 2^48 packets");
    }
    if (packets.compareTo(MIN_LIFETIME) < 0) {
      throw new IllegalArgumentException(
          "crypto key lifetime " + cut(text) + " is under 2^31 packets: sipline does not re-key");
    }
  }

  private static void sessionParameter(String p) {
    String upper = p.toUpperCase(Locale.ROOT);
    if (upper.equals("KDR=0") || WSH.matcher(upper).matches()) {
      return; // the default key derivation rate; a replay window hint (ours is 64)
    }
    throw new IllegalArgumentException(
        "crypto session parameter '" + cut(p) + "' is not supported");
  }

  /** The attribute's value as we write it: {@code <tag> <suite> inline:<key||salt>}. */
  String attribute() {
    return tag + " " + keys.suite().sdesName() + " inline:" + keys.inline();
  }

  private static String cut(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  @Override
  public String toString() {
    return "SdesCrypto[" + tag + ", " + keys.suite() + ", key hidden]";
  }
}

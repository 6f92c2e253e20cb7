package org.sipline.core.spi;

import java.util.Locale;

/**
 * Whether a call's audio is encrypted with SRTP (RFC 3711, keys by SDES, RFC 4568).
 * Backend-neutral: every backend reads it from {@link BackendConfig#srtp()}.
 */
public enum SrtpMode {
  /** Plain RTP only: our offers are RTP/AVP, an offer of RTP/SAVP alone is refused with 488. */
  OFF,
  /**
   * Our offers are RTP/SAVP with crypto lines, and a plain answer is taken; offers are answered
   * with SRTP when they carry a usable crypto line, plain otherwise.
   */
  OFFER,
  /** SRTP or no call: a plain offer gets 488, a call answered plain fails naming SRTP. */
  REQUIRE;

  /**
   * The flag's spelling.
   *
   * @return {@code off}, {@code offer} or {@code require}
   */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode a flag names, any case.
   *
   * @param value the flag's value
   * @return the mode
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static SrtpMode parse(String value) {
    for (SrtpMode mode : values()) {
      if (mode.flag().equalsIgnoreCase(value == null ? "" : value.strip())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("SRTP mode '" + value + "' is none of off, offer, require");
  }
}

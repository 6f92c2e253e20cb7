package org.sipline.core.spi;

/** The SIP transport a backend listens on and sends with. */
public enum Transport {
  /** SIP over UDP, SIP's default. */
  UDP,
  /** SIP over TCP (RFC 3261 §18). */
  TCP,
  /** SIP over TLS on TCP; {@code sips:} URIs ask for it. */
  TLS
}

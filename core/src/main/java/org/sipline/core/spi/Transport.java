package org.sipline.core.spi;

/** The SIP transport a backend listens on and sends with. */
public enum Transport {
  UDP,
  TCP,
  TLS
}

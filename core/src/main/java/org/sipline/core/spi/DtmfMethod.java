package org.sipline.core.spi;

/** How a DTMF digit travels. */
public enum DtmfMethod {
  /** RFC 4733 telephone-event packets in the call's RTP stream. */
  RFC4733,
  /** A SIP INFO request in the call's dialog ({@code application/dtmf-relay} or {@code dtmf}). */
  SIP_INFO
}

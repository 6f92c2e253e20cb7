package org.sipline.backend.jainsip;

import java.net.InetSocketAddress;

/**
 * What offer/answer agreed for a call's audio.
 *
 * @param remote where the peer wants our RTP (its c= and m= port); null when it named no usable
 *     address, so the media path latches onto the first source instead
 * @param payloadType 0 (PCMU) or 8 (PCMA)
 * @param telephoneEvent the RFC 4733 payload type both sides know, or -1
 */
record MediaPlan(InetSocketAddress remote, int payloadType, int telephoneEvent) {
  static final int PCMU = 0;
  static final int PCMA = 8;
  static final int NO_TELEPHONE_EVENT = -1;

  String codecName() {
    return payloadType == PCMU ? "PCMU" : "PCMA";
  }
}

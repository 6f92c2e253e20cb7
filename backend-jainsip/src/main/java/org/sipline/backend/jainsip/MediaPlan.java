package org.sipline.backend.jainsip;

import java.net.InetSocketAddress;
import org.sipline.backend.jainsip.media.srtp.SrtpKeys;

/**
 * What offer/answer agreed for a call's audio.
 *
 * @param remote where the peer wants our RTP (its c= and m= port); null when it named no usable
 *     address, so the media path latches onto the first source instead
 * @param payloadType 0 (PCMU) or 8 (PCMA)
 * @param telephoneEvent the RFC 4733 payload type both sides know, or -1
 * @param direction the peer's direction attribute for the stream ({@code sendrecv}, {@code
 *     sendonly}, {@code recvonly}, {@code inactive}); {@code inactive} too when it put 0.0.0.0 in
 *     c=, RFC 2543's way of holding a call
 * @param srtp the far end's SDES crypto line that keys what it sends us, or null for plain RTP
 */
record MediaPlan(
    InetSocketAddress remote,
    int payloadType,
    int telephoneEvent,
    String direction,
    SdesCrypto srtp) {
  static final int PCMU = 0;
  static final int PCMA = 8;
  static final int NO_TELEPHONE_EVENT = -1;

  MediaPlan(InetSocketAddress remote, int payloadType, int telephoneEvent) {
    this(remote, payloadType, telephoneEvent, "sendrecv", null);
  }

  MediaPlan(InetSocketAddress remote, int payloadType, int telephoneEvent, String direction) {
    this(remote, payloadType, telephoneEvent, direction, null);
  }

  /** The far end's SRTP keys for what it sends, or null for plain RTP. */
  SrtpKeys receiveKeys() {
    return srtp == null ? null : srtp.keys();
  }

  String codecName() {
    return payloadType == PCMU ? "PCMU" : "PCMA";
  }

  /**
   * Whether we send RTP (RFC 3264 §6.1): not to a peer that said it only sends ({@code sendonly}:
   * it holds the call) or neither ({@code inactive}).
   */
  boolean weSend() {
    return direction.equals("sendrecv") || direction.equals("recvonly");
  }
}

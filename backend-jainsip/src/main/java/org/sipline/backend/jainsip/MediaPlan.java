package org.sipline.backend.jainsip;

import java.net.InetSocketAddress;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.OpusParameters;
import org.sipline.backend.jainsip.media.srtp.SrtpKeys;

/**
 * What offer/answer agreed for a call's audio.
 *
 * @param remote where the peer wants our RTP (its c= and m= port); null when it named no usable
 *     address, so the media path latches onto the first source instead
 * @param payloadType the audio's payload type: 0 (PCMU), 8 (PCMA), 9 (G.722), or the dynamic one
 *     agreed for Opus
 * @param telephoneEvent the RFC 4733 payload type both sides know at the codec's clock rate, or -1
 * @param direction the peer's direction attribute for the stream ({@code sendrecv}, {@code
 *     sendonly}, {@code recvonly}, {@code inactive}); {@code inactive} too when it put 0.0.0.0 in
 *     c=, RFC 2543's way of holding a call
 * @param srtp the far end's SDES crypto line that keys what it sends us, or null for plain RTP
 * @param codec the codec {@code payloadType} stands for
 * @param opus what the peer's fmtp for Opus asks of the stream we send ({@link
 *     OpusParameters#DEFAULTS} for the other codecs and when it gave none)
 */
record MediaPlan(
    InetSocketAddress remote,
    int payloadType,
    int telephoneEvent,
    String direction,
    SdesCrypto srtp,
    Codec codec,
    OpusParameters opus) {
  static final int PCMU = 0;
  static final int PCMA = 8;
  static final int NO_TELEPHONE_EVENT = -1;

  /** A plan without Opus parameters: RFC 7587's defaults. */
  MediaPlan(
      InetSocketAddress remote,
      int payloadType,
      int telephoneEvent,
      String direction,
      SdesCrypto srtp,
      Codec codec) {
    this(remote, payloadType, telephoneEvent, direction, srtp, codec, OpusParameters.DEFAULTS);
  }

  /** A plan for a static payload type (PCMU, PCMA, G.722): the codec follows from it. */
  MediaPlan(
      InetSocketAddress remote,
      int payloadType,
      int telephoneEvent,
      String direction,
      SdesCrypto srtp) {
    this(remote, payloadType, telephoneEvent, direction, srtp, Codec.forPayloadType(payloadType));
  }

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

  /** The codec's encoding name as SDP writes it, as the core is told it. */
  String codecName() {
    return codec.encodingName();
  }

  /**
   * Whether we send RTP (RFC 3264 §6.1): not to a peer that said it only sends ({@code sendonly}:
   * it holds the call) or neither ({@code inactive}).
   */
  boolean weSend() {
    return direction.equals("sendrecv") || direction.equals("recvonly");
  }
}

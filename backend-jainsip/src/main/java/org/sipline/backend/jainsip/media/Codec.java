package org.sipline.backend.jainsip.media;

import org.sipline.core.audio.G711;

/**
 * The audio codecs the media path speaks: G.711 at 8 kHz with their static RTP payload types (RFC
 * 3551). One byte of payload per sample, so a 20 ms frame is 160 bytes either way.
 */
public enum Codec {
  PCMU(0, "PCMU") {
    @Override
    void encode(short[] pcm, int pcmOffset, byte[] dst, int dstOffset, int samples) {
      G711.encodeUlaw(pcm, pcmOffset, dst, dstOffset, samples);
    }

    @Override
    void decode(byte[] src, int srcOffset, short[] pcm, int pcmOffset, int samples) {
      G711.decodeUlaw(src, srcOffset, pcm, pcmOffset, samples);
    }
  },
  PCMA(8, "PCMA") {
    @Override
    void encode(short[] pcm, int pcmOffset, byte[] dst, int dstOffset, int samples) {
      G711.encodeAlaw(pcm, pcmOffset, dst, dstOffset, samples);
    }

    @Override
    void decode(byte[] src, int srcOffset, short[] pcm, int pcmOffset, int samples) {
      G711.decodeAlaw(src, srcOffset, pcm, pcmOffset, samples);
    }
  };

  /** The clock rate of both codecs, as in {@code a=rtpmap:0 PCMU/8000}. */
  public static final int CLOCK_RATE = 8000;

  private final int payloadType;
  private final String encodingName;

  Codec(int payloadType, String encodingName) {
    this.payloadType = payloadType;
    this.encodingName = encodingName;
  }

  /** The static RTP payload type: 0 for PCMU, 8 for PCMA. */
  public int payloadType() {
    return payloadType;
  }

  /** The encoding name as SDP's rtpmap writes it. */
  public String encodingName() {
    return encodingName;
  }

  /** The codec with this static payload type, or null when it is none of ours. */
  public static Codec forPayloadType(int payloadType) {
    for (Codec c : values()) {
      if (c.payloadType == payloadType) {
        return c;
      }
    }
    return null;
  }

  /** Encodes {@code samples} PCM samples into as many bytes. */
  abstract void encode(short[] pcm, int pcmOffset, byte[] dst, int dstOffset, int samples);

  /** Decodes {@code samples} bytes into as many PCM samples. */
  abstract void decode(byte[] src, int srcOffset, short[] pcm, int pcmOffset, int samples);
}

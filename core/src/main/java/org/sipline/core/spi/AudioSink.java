package org.sipline.core.spi;

/**
 * What a call receives, decoded to 8 kHz PCM, in RTP sequence order. Called on a backend thread; an
 * implementation must return quickly and must copy what it keeps.
 */
@FunctionalInterface
public interface AudioSink {
  void write(short[] pcm, int offset, int length);

  /** A sink that drops everything. */
  AudioSink DISCARD = (pcm, offset, length) -> {};
}

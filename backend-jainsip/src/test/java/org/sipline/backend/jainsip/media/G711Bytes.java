package org.sipline.backend.jainsip.media;

/** What a signal looks like on the wire as G.711, for tests that look for it in a capture. */
public final class G711Bytes {
  private G711Bytes() {}

  /** A 16-bit mono 8 kHz WAV's samples, read with Java Sound (see {@link WavFiles}). */
  public static short[] readWav(java.nio.file.Path file) throws java.io.IOException {
    return WavFiles.readPcm16Mono8k(file);
  }

  /** {@code pcm} as PCMU (μ-law) bytes, as {@link Codec#PCMU} sends them. */
  public static byte[] muLaw(short[] pcm) {
    byte[] out = new byte[pcm.length];
    Codec.PCMU.encode(pcm, 0, out, 0, pcm.length);
    return out;
  }
}

package org.sipline.testing.peers;

import java.util.Arrays;
import java.util.List;
import org.sipline.core.audio.G711;

/**
 * Looks for a signal's μ-law bytes in captured RTP payloads: the proof, in the SRTP tests of both
 * backends, that no plain G.711 audio crossed the wire (and, in their plain controls, that it did).
 */
public final class PlainMuLaw {
  /** Bytes per 20 ms G.711 frame. */
  private static final int FRAME = 160;

  /** How long a run of the signal must be found: long enough that chance cannot match it. */
  private static final int RUN = 16;

  private PlainMuLaw() {}

  /**
   * Whether the μ-law encoding of {@code pcm} is in any of {@code payloads}: two 16-byte runs from
   * inside each 20 ms frame are looked for, since a plain PCMU packet carries a frame as it is
   * (offsets inside the frame, so packetisation that starts elsewhere still matches one of them).
   *
   * @param pcm the signal, 8 kHz
   * @param payloads RTP payloads from a capture
   * @return true when some run of the signal's bytes is in some payload
   */
  public static boolean foundIn(short[] pcm, List<byte[]> payloads) {
    byte[] wire = new byte[pcm.length];
    G711.encodeUlaw(pcm, 0, wire, 0, pcm.length);
    for (int frame = 0; frame + FRAME <= wire.length; frame += FRAME) {
      for (int at : new int[] {frame + 20, frame + 100}) {
        byte[] run = Arrays.copyOfRange(wire, at, at + RUN);
        for (byte[] p : payloads) {
          if (contains(p, run)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}

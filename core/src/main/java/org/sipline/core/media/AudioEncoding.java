package org.sipline.core.media;

/** How audio bytes on a stream are encoded. */
public enum AudioEncoding {
  /** Signed 16-bit little-endian PCM, mono, at 8, 16, 24 or 48 kHz. */
  LINEAR16,
  /** G.711 µ-law at 8 kHz. */
  MULAW,
  /** G.711 A-law at 8 kHz. */
  ALAW
}

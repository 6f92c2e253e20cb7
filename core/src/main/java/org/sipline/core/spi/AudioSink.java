package org.sipline.core.spi;

/**
 * What a call receives: audio decoded to PCM at the call's rate ({@link SipCall#audioRate()}) in
 * RTP sequence order, the gaps in it, and DTMF digits. Called on backend threads (audio and RFC
 * 4733 digits on the media receive thread, SIP INFO digits on a signalling thread); an
 * implementation must return quickly, must copy what it keeps, and must accept calls from two
 * threads.
 *
 * <p>The samples given to {@link #write} and counted by {@link #missing} together are the caller's
 * side of the call's timeline, in order: a backend reports every sample it did not deliver (lost or
 * late packets) as missing, so that positions computed by the core never jump.
 */
@FunctionalInterface
public interface AudioSink {
  /**
   * Takes received audio: {@code length} samples of PCM at the call's rate from {@code
   * pcm[offset]}, to be copied before returning.
   *
   * @param pcm the buffer holding the samples; the backend reuses it after the call
   * @param offset where the samples start in {@code pcm}
   * @param length how many samples there are
   */
  void write(short[] pcm, int offset, int length);

  /**
   * {@code samples} samples at this point of the received stream were lost or came too late; the
   * core fills them with silence. Not called for the time before the first packet.
   *
   * @param samples how many samples are missing; more than zero
   */
  default void missing(int samples) {}

  /**
   * A DTMF digit started or ended (see {@link DtmfEvent}).
   *
   * @param event the digit and whether it started or ended
   */
  default void dtmf(DtmfEvent event) {}

  /** A sink that drops everything. */
  AudioSink DISCARD = (pcm, offset, length) -> {};
}

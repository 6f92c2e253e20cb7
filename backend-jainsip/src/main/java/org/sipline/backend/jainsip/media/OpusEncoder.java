package org.sipline.backend.jainsip.media;

import com.sun.jna.Pointer;
import org.sipline.core.spi.Availability;

/**
 * One outgoing stream's Opus encoder (RFC 6716 through libopus, RFC 7587 on the wire): mono 16-bit
 * PCM in 20 ms frames at the call's audio rate, VOIP application, in-band FEC and DTX off unless
 * asked for. Owns native memory: {@link #close()} frees it; an encoder is used by one thread (the
 * pacer) at a time.
 */
public final class OpusEncoder implements AutoCloseable {
  /**
   * RFC 7587 §4.3 advises against more than 1275 bytes per frame (the largest a single Opus frame
   * can be); 20 ms of mono voice stays far below.
   */
  public static final int MAX_PACKET_BYTES = 1275;

  private final int sampleRate;
  private final int frameSamples;
  private Pointer state;

  /**
   * @param sampleRate the PCM's rate: 8000, 12000, 16000, 24000 or 48000 Hz
   * @param maxBandwidthHz the highest audio bandwidth to code (the peer's {@code maxplaybackrate}
   *     halved, say), or 0 for what the rate allows
   * @param inbandFec whether to add in-band FEC (only worth it when the peer said {@code
   *     useinbandfec=1})
   * @param dtx whether to stop sending in silence
   * @throws IllegalStateException when libopus is not available here (see {@link #availability()})
   * @throws IllegalArgumentException when libopus refuses the rate
   */
  public OpusEncoder(int sampleRate, int maxBandwidthHz, boolean inbandFec, boolean dtx) {
    OpusLibrary library = loaded();
    int[] error = new int[1];
    Pointer created =
        OpusLibrary.Direct.opus_encoder_create(
            sampleRate, 1, OpusLibrary.OPUS_APPLICATION_VOIP, error);
    if (created == null || error[0] != OpusLibrary.OPUS_OK) {
      throw new IllegalArgumentException(
          "Opus encoder at " + sampleRate + " Hz: " + OpusLibrary.errorText(error[0]));
    }
    this.state = created;
    this.sampleRate = sampleRate;
    this.frameSamples = sampleRate / 50;
    control(library, OpusLibrary.OPUS_SET_INBAND_FEC_REQUEST, inbandFec ? 1 : 0);
    // With FEC on, the encoder only spends bits on it when told to expect loss.
    control(library, OpusLibrary.OPUS_SET_PACKET_LOSS_PERC_REQUEST, inbandFec ? 10 : 0);
    control(library, OpusLibrary.OPUS_SET_DTX_REQUEST, dtx ? 1 : 0);
    if (maxBandwidthHz > 0) {
      control(library, OpusLibrary.OPUS_SET_MAX_BANDWIDTH_REQUEST, bandwidthFor(maxBandwidthHz));
    }
  }

  /**
   * Sets the target bit rate (libopus picks one from the rate and mode otherwise).
   *
   * @param bitsPerSecond 6000..510000
   * @throws IllegalArgumentException when libopus refuses it
   */
  public void bitrate(int bitsPerSecond) {
    control(loaded(), OpusLibrary.OPUS_SET_BITRATE_REQUEST, bitsPerSecond);
  }

  /**
   * Whether Opus can be used in this JVM, and why not.
   *
   * @return available, or not with the reason (what failed to load, what to install)
   */
  public static Availability availability() {
    OpusLibrary library = OpusLibrary.get();
    return library.available() ? Availability.yes() : Availability.no(library.unavailableReason());
  }

  private static OpusLibrary loaded() {
    OpusLibrary library = OpusLibrary.get();
    if (!library.available()) {
      throw new IllegalStateException(library.unavailableReason());
    }
    return library;
  }

  /** The narrowest Opus bandwidth class that holds audio up to {@code hz}. */
  static int bandwidthFor(int hz) {
    if (hz <= 4000) {
      return OpusLibrary.OPUS_BANDWIDTH_NARROWBAND;
    } else if (hz <= 6000) {
      return OpusLibrary.OPUS_BANDWIDTH_MEDIUMBAND;
    } else if (hz <= 8000) {
      return OpusLibrary.OPUS_BANDWIDTH_WIDEBAND;
    } else if (hz <= 12000) {
      return OpusLibrary.OPUS_BANDWIDTH_SUPERWIDEBAND;
    }
    return OpusLibrary.OPUS_BANDWIDTH_FULLBAND;
  }

  private void control(OpusLibrary library, int request, int value) {
    int result = library.encoderCtl(state, request, value);
    if (result != OpusLibrary.OPUS_OK) {
      close();
      throw new IllegalArgumentException(
          "Opus encoder request " + request + " = " + value + ": " + OpusLibrary.errorText(result));
    }
  }

  /**
   * The PCM's rate.
   *
   * @return Hz, as given to the constructor
   */
  public int sampleRate() {
    return sampleRate;
  }

  /**
   * Samples in one 20 ms frame at {@link #sampleRate()}.
   *
   * @return {@code sampleRate() / 50}
   */
  public int frameSamples() {
    return frameSamples;
  }

  /**
   * Encodes one 20 ms frame ({@link #frameSamples()} samples from {@code pcm[0..]}) into {@code
   * packet}, which should hold {@link #MAX_PACKET_BYTES}.
   *
   * @param pcm the frame
   * @param packet where the payload goes
   * @return the payload's length in bytes
   * @throws IllegalStateException when closed or when libopus fails (which it does only on a
   *     programming error: a short buffer)
   */
  public int encode(short[] pcm, byte[] packet) {
    if (state == null) {
      throw new IllegalStateException("Opus encoder closed");
    }
    if (pcm.length < frameSamples) {
      throw new IllegalArgumentException(
          "frame of "
              + pcm.length
              + " samples < "
              + frameSamples
              + " (20 ms at "
              + sampleRate
              + ")");
    }
    int n = OpusLibrary.Direct.opus_encode(state, pcm, frameSamples, packet, packet.length);
    if (n < 0) {
      throw new IllegalStateException("opus_encode: " + OpusLibrary.errorText(n));
    }
    return n;
  }

  @Override
  public void close() {
    Pointer s = state;
    state = null;
    if (s != null) {
      OpusLibrary.Direct.opus_encoder_destroy(s);
    }
  }
}

package org.sipline.backend.jainsip.media;

import com.sun.jna.Pointer;
import java.util.Arrays;

/**
 * One incoming stream's Opus decoder: an RTP payload in, 20 ms of mono PCM at the call's audio rate
 * out. A lost packet is concealed by libopus's own packet-loss concealment (decoding "no packet");
 * a payload that does not decode (RFC 7587 gives the peer no way to send one, but the network and
 * strangers can) is concealed the same way and counted, never thrown at the receive loop. Owns
 * native memory: {@link #close()} frees it; used by one thread at a time.
 */
public final class OpusDecoder implements AutoCloseable {
  /** The longest Opus packet: 120 ms (RFC 6716 §3.2.5). */
  static final int MAX_PACKET_MILLIS = 120;

  /** The most a UDP datagram can carry over IPv4; anything longer was never an RTP payload. */
  static final int MAX_PAYLOAD_BYTES = 65_507;

  private final int sampleRate;
  private final int frameSamples;
  private final short[] scratch;

  /** A payload's copy: direct mapping passes whole arrays, and a datagram buffer holds more. */
  private final byte[] packet = new byte[MAX_PAYLOAD_BYTES];

  private Pointer state;
  private long concealed;
  private long undecodable;
  private long truncated;

  /**
   * @param sampleRate the PCM's rate: 8000, 12000, 16000, 24000 or 48000 Hz
   */
  public OpusDecoder(int sampleRate) {
    OpusLibrary library = OpusLibrary.get();
    if (!library.available()) {
      throw new IllegalStateException(library.unavailableReason());
    }
    int[] error = new int[1];
    Pointer created = OpusLibrary.Direct.opus_decoder_create(sampleRate, 1, error);
    if (created == null || error[0] != OpusLibrary.OPUS_OK) {
      throw new IllegalArgumentException(
          "Opus decoder at " + sampleRate + " Hz: " + OpusLibrary.errorText(error[0]));
    }
    this.state = created;
    this.sampleRate = sampleRate;
    this.frameSamples = sampleRate / 50;
    this.scratch = new short[sampleRate * MAX_PACKET_MILLIS / 1000];
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
   * The samples in one 20 ms frame.
   *
   * @return {@code sampleRate() / 50}
   */
  public int frameSamples() {
    return frameSamples;
  }

  /**
   * Decodes one packet into exactly one 20 ms frame at {@code frame[0..]}. A packet longer than 20
   * ms (a peer using another ptime) keeps its first 20 ms and is counted as truncated; a shorter
   * one is followed by concealment up to 20 ms. Never throws on the payload's content.
   *
   * @param payload holds the RTP payload
   * @param offset where the payload starts in {@code payload}
   * @param length the payload's length in bytes
   * @param frame where the 20 ms of PCM go, at least {@link #frameSamples()} long
   */
  public void decode(byte[] payload, int offset, int length, short[] frame) {
    requireOpen();
    if (length <= 0 || length > packet.length) {
      // libopus would take an empty payload for a lost packet; it is a malformed one here.
      undecodable++;
      conceal(frame);
      return;
    }
    System.arraycopy(payload, offset, packet, 0, length);
    int n = OpusLibrary.Direct.opus_decode(state, packet, length, scratch, scratch.length, 0);
    if (n < 0) {
      undecodable++;
      conceal(frame);
      return;
    }
    int kept = Math.min(n, frameSamples);
    System.arraycopy(scratch, 0, frame, 0, kept);
    if (n > frameSamples) {
      truncated++;
    } else if (n < frameSamples) {
      int done = n;
      while (done < frameSamples) {
        int more = concealInto(frameSamples - done);
        System.arraycopy(scratch, 0, frame, done, more);
        done += more;
      }
    }
  }

  /**
   * Fills one 20 ms frame with libopus's concealment: the packet for it never came.
   *
   * @param frame where the 20 ms of PCM go, at least {@link #frameSamples()} long
   */
  public void conceal(short[] frame) {
    requireOpen();
    concealed++;
    int n = concealInto(frameSamples);
    System.arraycopy(scratch, 0, frame, 0, n);
  }

  private int concealInto(int samples) {
    // Concealment must be asked for in multiples of 2.5 ms; 20 ms and its remainders here are.
    int n = OpusLibrary.Direct.opus_decode(state, null, 0, scratch, samples, 0);
    if (n <= 0) {
      Arrays.fill(scratch, 0, samples, (short) 0);
      return samples;
    }
    return n;
  }

  private void requireOpen() {
    if (state == null) {
      throw new IllegalStateException("Opus decoder closed");
    }
  }

  /**
   * Frames filled by concealment.
   *
   * @return lost packets and undecodable ones so far
   */
  public long concealed() {
    return concealed;
  }

  /**
   * Payloads libopus refused, each also concealed.
   *
   * @return how many so far
   */
  public long undecodable() {
    return undecodable;
  }

  /**
   * Packets longer than 20 ms whose excess was dropped.
   *
   * @return how many so far
   */
  public long truncated() {
    return truncated;
  }

  @Override
  public void close() {
    Pointer s = state;
    state = null;
    if (s != null) {
      OpusLibrary.Direct.opus_decoder_destroy(s);
    }
  }
}

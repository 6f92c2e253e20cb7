package org.sipline.backend.jainsip.media;

import org.sipline.core.audio.G711;
import org.sipline.core.audio.G722Encoder;

/**
 * The audio codecs the media path speaks, each with its RTP payload type (static ones from RFC
 * 3551; Opus's is dynamic, {@link #OPUS_PAYLOAD_TYPE} in our offers), its RTP clock rate and the
 * PCM rate the call's audio runs at (what the core's frames hold). A frame is 20 ms either way:
 * {@link #frameSamples()} PCM samples, {@link #frameTicks()} steps of the RTP timestamp.
 *
 * <ul>
 *   <li>PCMU, PCMA: 8 kHz both ways, one byte per sample, stateless.
 *   <li>G.722: 16 kHz audio, but an 8000 Hz RTP clock (RFC 3551 §4.5.2, an error kept for
 *       compatibility): 320 samples and 160 bytes per frame, the timestamp advancing 160.
 *   <li>Opus (RFC 7587): always a 48000 Hz RTP clock and {@code opus/48000/2} in SDP whatever the
 *       audio. sipline runs it at 16 kHz inside: a recogniser wants 16 kHz (wideband is what Opus
 *       carries on voice calls anyway), every call's audio is then 8 or 16 kHz, and encoding and
 *       decoding at 16 kHz cost 25 % and 66 % less than at 48 kHz (BENCHMARKS §9).
 * </ul>
 *
 * <p>G.722 and Opus keep state between frames, so each direction of a call gets its own {@link
 * #newEncoder()} / {@link #newDecoder()}.
 */
public enum Codec {
  PCMU(0, "PCMU", 8000, 8000, 1),
  PCMA(8, "PCMA", 8000, 8000, 1),
  G722(9, "G722", 8000, 16000, 1),
  OPUS(-1, "opus", 48000, 16000, 2);

  /** The clock rate of G.711, as in {@code a=rtpmap:0 PCMU/8000}. */
  public static final int CLOCK_RATE = 8000;

  /** The dynamic payload type we offer Opus with; in answers the offerer's is kept. */
  public static final int OPUS_PAYLOAD_TYPE = 111;

  private final int payloadType;
  private final String encodingName;
  private final int rtpClockRate;
  private final int audioRate;
  private final int channels;

  Codec(int payloadType, String encodingName, int rtpClockRate, int audioRate, int channels) {
    this.payloadType = payloadType;
    this.encodingName = encodingName;
    this.rtpClockRate = rtpClockRate;
    this.audioRate = audioRate;
    this.channels = channels;
  }

  /** The static RTP payload type: 0 for PCMU, 8 for PCMA, 9 for G.722; -1 for Opus (dynamic). */
  public int payloadType() {
    return payloadType;
  }

  /** The encoding name as SDP's rtpmap writes it ("PCMU", "G722", "opus"). */
  public String encodingName() {
    return encodingName;
  }

  /** The RTP timestamp's rate: 8000, or 48000 for Opus. */
  public int rtpClockRate() {
    return rtpClockRate;
  }

  /** The PCM rate of the call's audio: 8000 for G.711, 16000 for G.722 and (here) Opus. */
  public int audioRate() {
    return audioRate;
  }

  /** PCM samples in a 20 ms frame. */
  public int frameSamples() {
    return audioRate / 50;
  }

  /** RTP timestamp steps in a 20 ms frame. */
  public int frameTicks() {
    return rtpClockRate / 50;
  }

  /** What SDP's rtpmap says after the payload type: "PCMU/8000", "opus/48000/2". */
  public String rtpmap() {
    return encodingName + "/" + rtpClockRate + (channels > 1 ? "/" + channels : "");
  }

  /** Whether the codec is G.711: one byte per sample, any packet length, no state. */
  boolean isG711() {
    return this == PCMU || this == PCMA;
  }

  /** The largest payload one frame encodes to. */
  int maxPayload() {
    return this == OPUS ? OpusEncoder.MAX_PACKET_BYTES : frameTicks();
  }

  /** The codec with this static payload type, or null when it is none of ours. */
  public static Codec forPayloadType(int payloadType) {
    for (Codec c : values()) {
      if (c.payloadType == payloadType && payloadType >= 0) {
        return c;
      }
    }
    return null;
  }

  /** The codec SDP names {@code name} (case-insensitive, as RFC 4855 says), or null. */
  public static Codec forEncodingName(String name) {
    for (Codec c : values()) {
      if (c.encodingName.equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Encodes {@code samples} PCM samples into as many bytes; G.711 only, which has no state.
   *
   * @throws IllegalStateException for G.722 and Opus: use {@link #newEncoder()}
   */
  void encode(short[] pcm, int pcmOffset, byte[] dst, int dstOffset, int samples) {
    switch (this) {
      case PCMU -> G711.encodeUlaw(pcm, pcmOffset, dst, dstOffset, samples);
      case PCMA -> G711.encodeAlaw(pcm, pcmOffset, dst, dstOffset, samples);
      default -> throw new IllegalStateException(this + " keeps state: one encoder per stream");
    }
  }

  /**
   * Decodes {@code samples} bytes into as many PCM samples; G.711 only.
   *
   * @throws IllegalStateException for G.722 and Opus: use {@link #newDecoder()}
   */
  void decode(byte[] src, int srcOffset, short[] pcm, int pcmOffset, int samples) {
    switch (this) {
      case PCMU -> G711.decodeUlaw(src, srcOffset, pcm, pcmOffset, samples);
      case PCMA -> G711.decodeAlaw(src, srcOffset, pcm, pcmOffset, samples);
      default -> throw new IllegalStateException(this + " keeps state: one decoder per stream");
    }
  }

  /** One stream's encoder: a 20 ms frame of {@link #frameSamples()} in, a payload out. */
  interface FrameEncoder extends AutoCloseable {
    /** Encodes {@code frame} into {@code dst} from {@code offset}; returns the payload's bytes. */
    int encode(short[] frame, byte[] dst, int offset);

    @Override
    default void close() {}
  }

  /**
   * One stream's decoder for codecs with a fixed 20 ms frame (G.722, Opus): a payload that is not
   * one good frame is concealed and counted, never thrown.
   */
  interface FrameDecoder extends AutoCloseable {
    /** Fills {@code frame[0, frameSamples())} from the payload. */
    void decode(byte[] payload, int offset, int length, short[] frame);

    /** Payloads that could not be decoded (wrong size, broken) and were concealed instead. */
    long refused();

    @Override
    default void close() {}
  }

  /** A new encoder for one outgoing stream, with Opus's defaults. */
  FrameEncoder newEncoder() {
    return newEncoder(OpusParameters.DEFAULTS);
  }

  /**
   * A new encoder for one outgoing stream; Opus's is set as the peer's fmtp asks ({@code opus}),
   * the other codecs have nothing to set.
   */
  FrameEncoder newEncoder(OpusParameters opus) {
    return switch (this) {
      case PCMU, PCMA ->
          (frame, dst, offset) -> {
            encode(frame, 0, dst, offset, frame.length);
            return frame.length;
          };
      case G722 -> {
        G722Encoder g722 = new G722Encoder();
        yield (frame, dst, offset) -> {
          g722.encode(frame, 0, dst, offset, frame.length);
          return frame.length / 2;
        };
      }
      case OPUS -> new OpusFrameEncoder(audioRate, opus);
    };
  }

  /** A new decoder for one incoming stream of G.722 or Opus; null for G.711 (stateless). */
  FrameDecoder newDecoder() {
    return switch (this) {
      case PCMU, PCMA -> null;
      case G722 -> {
        G722FrameDecoder g722 = new G722FrameDecoder();
        yield new FrameDecoder() {
          @Override
          public void decode(byte[] payload, int offset, int length, short[] frame) {
            g722.decode(payload, offset, length, frame);
          }

          @Override
          public long refused() {
            return g722.wrongSize();
          }
        };
      }
      case OPUS -> new OpusFrameDecoder(audioRate);
    };
  }

  /**
   * Opus's encoder as a stream's: the encoder writes into its own array, copied after. Encoding and
   * closing hold its lock (uncontended: one pacer thread), so the call's end, on another thread,
   * never frees libopus's state under a frame being encoded; after it, nothing is encoded.
   */
  private static final class OpusFrameEncoder implements FrameEncoder {
    private final OpusEncoder encoder;
    private final byte[] out = new byte[OpusEncoder.MAX_PACKET_BYTES];
    private boolean closed;

    /** Our bit rate unless the peer caps it lower: see the constructor. */
    static final int BITRATE = 32_000;

    OpusFrameEncoder(int rate, OpusParameters peer) {
      // No wider than our rate carries, nor than the peer plays (its maxplaybackrate halved).
      // DTX stays off whatever usedtx says (RFC 7587 §6.1 leaves it to the sender): a stream with
      // gaps would stop the timeline's packets that marks and playout count on.
      this.encoder =
          new OpusEncoder(rate, Math.min(rate / 2, peer.maxBandwidthHz()), peer.inbandFec(), false);
      // What libopus picks by itself for 16 kHz voice (about 20 kbit/s) keeps speech
      // intelligible but not its waveform; a recogniser at the far end, and G.722's 64 kbit/s
      // beside it, argue for more: 32 kbit/s, above RFC 7587 §3.1.1's 16-20 for wideband speech.
      // A peer's maxaveragebitrate below that is its limit (RFC 7587 §6.1), honoured.
      encoder.bitrate(bitrateFor(peer));
    }

    /** Our bit rate, capped by the peer's {@code maxaveragebitrate} when it gave one. */
    static int bitrateFor(OpusParameters peer) {
      int cap = peer.maxAverageBitrate();
      return cap > 0 ? Math.min(BITRATE, cap) : BITRATE;
    }

    @Override
    public synchronized int encode(short[] frame, byte[] dst, int offset) {
      if (closed) {
        return 0;
      }
      int n = encoder.encode(frame, out);
      System.arraycopy(out, 0, dst, offset, n);
      return n;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        encoder.close();
      }
    }
  }

  /**
   * Opus's decoder as a stream's: undecodable payloads are concealed by libopus and counted. Locked
   * as {@link OpusFrameEncoder}: closed, it fills silence.
   */
  private static final class OpusFrameDecoder implements FrameDecoder {
    private final OpusDecoder decoder;
    private final int frameSamples;
    private boolean closed;

    OpusFrameDecoder(int rate) {
      this.decoder = new OpusDecoder(rate);
      this.frameSamples = rate / 50;
    }

    @Override
    public synchronized void decode(byte[] payload, int offset, int length, short[] frame) {
      if (closed) {
        java.util.Arrays.fill(frame, 0, frameSamples, (short) 0);
        return;
      }
      decoder.decode(payload, offset, length, frame);
    }

    @Override
    public synchronized long refused() {
      return decoder.undecodable() + decoder.truncated(); // plain counters: kept after close
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        decoder.close();
      }
    }
  }
}

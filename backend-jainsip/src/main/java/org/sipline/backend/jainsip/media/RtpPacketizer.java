package org.sipline.backend.jainsip.media;

import java.util.random.RandomGenerator;

/**
 * Numbers one outgoing RTP stream: SSRC, sequence number, timestamp and marker bit (RFC 3550 §5.1,
 * RFC 3551 §4.1).
 *
 * <p>SSRC, first sequence number and first timestamp are random (RFC 3550 §5.1: it makes
 * known-plaintext attacks and collisions between restarted streams unlikely); the generator is
 * injected so tests can fix them. The sequence number grows by one per packet sent; the timestamp
 * by the samples of every frame, sent or not, so that the RTP clock runs continuously across
 * prompts and silence. The marker bit starts a talkspurt: the first packet of the stream, the first
 * audio after silence, and the first packet after frames that were not sent.
 *
 * <p>Used by the pacer thread only; not thread-safe.
 */
final class RtpPacketizer {
  /** Set again when a re-INVITE or UPDATE changes the codec (SIP thread); read per packet. */
  private volatile int payloadType;

  private final long ssrc;
  private int sequenceNumber;
  private long timestamp;
  private boolean lastWasAudio;
  private boolean gap = true;

  /** Audio packets carry {@code codec}'s payload type from the next one on. */
  void payloadType(Codec codec) {
    payloadType = codec.payloadType();
  }

  /** Audio packets carry {@code type} from the next one on (Opus's dynamic type). */
  void payloadType(int type) {
    payloadType = type;
  }

  RtpPacketizer(Codec codec, RandomGenerator random) {
    this(codec.payloadType(), random);
  }

  RtpPacketizer(int audioPayloadType, RandomGenerator random) {
    this.payloadType = audioPayloadType;
    this.ssrc = random.nextInt() & 0xFFFF_FFFFL;
    this.sequenceNumber = random.nextInt() & 0xFFFF;
    this.timestamp = random.nextInt() & 0xFFFF_FFFFL;
  }

  /**
   * Writes the header of the next packet into {@code out[0, 12)}; the caller puts the payload
   * behind it.
   *
   * @param audio whether the frame carries played audio (false: silence)
   * @param samples the samples the packet carries, which advance the timestamp
   * @return the header length
   */
  int nextHeader(byte[] out, boolean audio, int samples) {
    boolean marker = gap || (audio && !lastWasAudio);
    int length =
        RtpPacket.writeHeader(out, 0, marker, payloadType, sequenceNumber, timestamp, ssrc);
    sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
    timestamp = (timestamp + samples) & 0xFFFF_FFFFL;
    lastWasAudio = audio;
    gap = false;
    return length;
  }

  /**
   * Writes the header of an RFC 4733 event packet in place of the next audio packet: the next
   * sequence number, but the event's own timestamp and payload type. The stream's clock advances by
   * {@code samples} as for audio, so the audio after the event carries the time it is sent at; that
   * audio starts a talkspurt when it is played audio.
   *
   * @param eventTimestamp the timestamp of the tick the event began on
   * @param marker whether this is the event's first packet
   * @return the header length
   */
  int nextEventHeader(
      byte[] out, int eventPayloadType, long eventTimestamp, boolean marker, int samples) {
    int length =
        RtpPacket.writeHeader(
            out, 0, marker, eventPayloadType, sequenceNumber, eventTimestamp, ssrc);
    sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
    timestamp = (timestamp + samples) & 0xFFFF_FFFFL;
    lastWasAudio = false;
    gap = false;
    return length;
  }

  /** Advances the timestamp over frames that were not sent; the next packet is marked. */
  void skip(int frames, int samplesPerFrame) {
    if (frames <= 0) {
      return;
    }
    timestamp = (timestamp + (long) frames * samplesPerFrame) & 0xFFFF_FFFFL;
    gap = true;
  }

  long ssrc() {
    return ssrc;
  }

  /** The sequence number the next packet will carry. */
  int nextSequenceNumber() {
    return sequenceNumber;
  }

  /** The timestamp the next packet will carry. */
  long nextTimestamp() {
    return timestamp;
  }
}

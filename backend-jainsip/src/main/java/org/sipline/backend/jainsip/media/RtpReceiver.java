package org.sipline.backend.jainsip.media;

import java.net.InetSocketAddress;
import org.sipline.backend.jainsip.media.srtp.SrtpUnprotector;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.DtmfEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's incoming RTP: checks where each datagram came from and what it is, puts audio and
 * telephone events back in order, reports the gaps, decodes the audio and hands it to the call's
 * sink, and turns the events into DTMF digits.
 *
 * <pre>
 *   datagram → source check (RtpPeer: strict or latching) → RtpPacket.parse → payload type
 *            → ReorderBuffer ─ audio:  ReceivedTimeline (AudioSink.missing) → Codec.decode
 *                                      → AudioSink.write
 *                            ─ events: TelephoneEventReceiver → AudioSink.dtmf
 * </pre>
 *
 * <p>Everything that is not the negotiated audio from the peer is dropped and counted, never
 * thrown: the receive loop serves every call of the JVM. Runs on the receive thread; the counters
 * may be read from any thread.
 */
final class RtpReceiver implements ReorderBuffer.Output, DatagramHandler {
  /** How many packets may wait for a missing one: 60 ms of 20 ms packets. */
  static final int REORDER_CAPACITY = 3;

  private static final Logger log = LoggerFactory.getLogger(RtpReceiver.class);

  private final RtpPeer peer;

  /** Set again when a re-INVITE or UPDATE changes the codec (SIP thread); read per packet. */
  private volatile Codec codec;

  /** The codec's payload type in this call's SDP (Opus's is dynamic); set with {@link #codec}. */
  private volatile int payloadType;

  /**
   * G.722's or Opus's decoder for this stream (they keep state), or null for G.711. A call keeps
   * its codec's rate and clock (see the SDP code), so a switch never needs another one.
   */
  private volatile Codec.FrameDecoder decoder;

  /** Set again by a re-INVITE's new SDP (from the SIP thread); read per packet. */
  private volatile int telephoneEventPayloadType;

  /** SRTP for what comes in, or null for plain RTP; set again by a re-INVITE (SIP thread). */
  private volatile SrtpUnprotector srtp;

  private final AudioSink sink;
  private final MediaClock clock;
  private final String callId;
  private final RtpPacket packet = new RtpPacket();
  private final ReorderBuffer reorder;
  private final ReceivedTimeline timeline;
  private final TelephoneEventReceiver events;
  private final ReceptionStatistics statistics;
  private final short[] pcm;
  private final int maxDatagram;
  private final LogLimiter wrongSourceLog = new LogLimiter();
  private final LogLimiter malformedLog = new LogLimiter();
  private final LogLimiter payloadTypeLog = new LogLimiter();
  private final LogLimiter sinkLog = new LogLimiter();
  private final LogLimiter srtpLog = new LogLimiter();
  private volatile boolean closed;

  /** When the datagram being handled arrived; the timeline's clock. */
  private long arrivalNanos;

  /** The SSRC of the last packet delivered, to tell when the stream restarted. */
  private long deliveredSsrc = -1;

  private volatile long received;
  private volatile long droppedWrongSource;
  private volatile long droppedMalformed;
  private volatile long droppedPayloadType;
  private volatile long droppedSrtp;
  private volatile long telephoneEvents;
  private volatile long octetsReceived;
  private volatile long lastPacketNanos;

  /**
   * @param telephoneEventPayloadType the negotiated RFC 4733 payload type, or -1 for none
   * @param maxDatagram the largest datagram taken; longer ones are dropped as malformed
   */
  RtpReceiver(
      RtpPeer peer,
      Codec codec,
      int telephoneEventPayloadType,
      AudioSink sink,
      MediaClock clock,
      String callId,
      int maxDatagram) {
    this(
        peer,
        codec,
        codec.payloadType(),
        telephoneEventPayloadType,
        sink,
        clock,
        callId,
        maxDatagram);
  }

  /**
   * @param payloadType {@code codec}'s payload type in the call's SDP
   */
  RtpReceiver(
      RtpPeer peer,
      Codec codec,
      int payloadType,
      int telephoneEventPayloadType,
      AudioSink sink,
      MediaClock clock,
      String callId,
      int maxDatagram) {
    this.peer = peer;
    this.codec = codec;
    this.payloadType = payloadType;
    this.decoder = codec.newDecoder();
    this.timeline = new ReceivedTimeline(codec.rtpClockRate());
    this.statistics = new ReceptionStatistics(codec.rtpClockRate());
    this.telephoneEventPayloadType = telephoneEventPayloadType;
    this.sink = sink;
    this.clock = clock;
    this.callId = callId;
    this.reorder = new ReorderBuffer(REORDER_CAPACITY, maxDatagram, this);
    this.events = new TelephoneEventReceiver(this::reportDtmf, codec.rtpClockRate());
    this.pcm = new short[Math.max(maxDatagram, Codec.OPUS.frameSamples() * 3)];
    this.maxDatagram = maxDatagram;
    this.lastPacketNanos = clock.nanoTime();
  }

  /** Takes one datagram as read from the call's socket. */
  // Single writer (the receive thread), readers anywhere: volatile is for visibility, ++ cannot
  // race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  @Override
  public void onDatagram(byte[] buf, int length, InetSocketAddress source) {
    if (closed) {
      return;
    }
    long now = clock.nanoTime();
    if (!peer.admits(source)) {
      long n = ++droppedWrongSource;
      if (wrongSourceLog.allow(now)) {
        log.warn(
            "RTP from {} dropped: Call-ID {} expects {} ({} dropped so far)",
            source,
            callId,
            peer.address(),
            n);
      }
      return;
    }
    SrtpUnprotector unprotector = srtp;
    if (unprotector != null && length <= maxDatagram) {
      int plain = unprotector.unprotectRtp(buf, length);
      if (plain < 0) {
        long n = ++droppedSrtp;
        if (srtpLog.allow(now)) {
          log.warn(
              "SRTP from {} dropped (Call-ID {}): {} ({} dropped so far)",
              source,
              callId,
              SrtpRefusal.text(plain),
              n);
        }
        return;
      }
      length = plain;
    }
    try {
      if (length > maxDatagram) {
        throw new MalformedRtpException("datagram longer than " + maxDatagram + " bytes");
      }
      packet.parse(buf, 0, length);
    } catch (MalformedRtpException e) {
      long n = ++droppedMalformed;
      if (malformedLog.allow(now)) {
        log.warn(
            "Malformed RTP from {} dropped (Call-ID {}): {} ({} dropped so far)",
            source,
            callId,
            e.getMessage(),
            n);
      }
      return;
    }
    int pt = packet.payloadType();
    boolean event = pt == telephoneEventPayloadType;
    if (!event && pt != payloadType) {
      long n = ++droppedPayloadType;
      if (payloadTypeLog.allow(now)) {
        log.warn(
            "RTP payload type {} from {} dropped: Call-ID {} negotiated {}/{} ({} so far)",
            pt,
            source,
            callId,
            codec.encodingName(),
            payloadType,
            n);
      }
      return;
    }
    accept(source, now);
    if (event) {
      telephoneEvents++;
    } else {
      received++;
    }
    octetsReceived += packet.payloadLength();
    // Measured as it arrived, before reordering: RFC 3550's loss and jitter are the network's.
    statistics.onPacket(
        packet.ssrc(),
        packet.sequenceNumber(),
        packet.timestamp(),
        now,
        packet.payloadLength(),
        !event);
    arrivalNanos = now;
    // Events go through the reorder buffer with the audio: they share its sequence numbers, and
    // they must be told apart from the audio in order too (a digit ends where audio goes on).
    reorder.offer(
        packet.ssrc(),
        packet.sequenceNumber(),
        pt,
        packet.timestamp(),
        buf,
        packet.payloadOffset(),
        packet.payloadLength());
  }

  private void accept(InetSocketAddress source, long now) {
    lastPacketNanos = now;
    if (peer.latch(source)) {
      log.info("RTP latched onto {} (Call-ID {})", source, callId);
    }
  }

  /** Takes one in-order packet: an event to the DTMF receiver, audio decoded to the sink. */
  // Single writer (the receive thread), readers anywhere: volatile is for visibility, ++ cannot
  // race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  @Override
  public void deliver(
      long ssrc, int payloadType, long timestamp, byte[] payload, int offset, int length) {
    if (ssrc != deliveredSsrc) {
      if (deliveredSsrc >= 0) {
        timeline.newStream();
        events.newStream();
      }
      deliveredSsrc = ssrc;
    }
    // Only the codec's type and the telephone-event type get this far (onDatagram): anything else
    // is an event, even one of a type a re-INVITE replaced while it waited for reordering.
    if (payloadType != this.payloadType) {
      try {
        events.onPacket(timestamp, arrivalNanos, payload, offset, length);
      } catch (MalformedRtpException e) {
        long n = ++droppedMalformed;
        if (malformedLog.allow(arrivalNanos)) {
          log.warn(
              "Malformed telephone-event dropped (Call-ID {}): {} ({} dropped so far)",
              callId,
              e.getMessage(),
              n);
        }
      }
      return;
    }
    Codec c = codec;
    Codec.FrameDecoder d = decoder;
    int samples;
    int ticks;
    if (d == null) {
      samples = length; // G.711: a sample per byte, any packet time
      ticks = length;
      c.decode(payload, offset, pcm, 0, length);
    } else {
      // G.722, Opus: 20 ms a packet; a payload that is not one good frame is concealed (and
      // counted by the decoder), so the call's timeline keeps its step.
      samples = c.frameSamples();
      ticks = c.frameTicks();
      d.decode(payload, offset, length, pcm);
    }
    // The gap is in steps of the RTP clock; the sink counts samples of the call's audio (G.722:
    // 16 kHz audio on an 8 kHz clock).
    int gap =
        (int)
            ((long) timeline.next(timestamp, ticks, arrivalNanos)
                * c.audioRate()
                / c.rtpClockRate());
    events.onAudio(timestamp);
    try {
      if (gap > 0) {
        sink.missing(gap);
      }
      sink.write(pcm, 0, samples);
    } catch (RuntimeException e) {
      sinkFailed(e);
    }
  }

  private void reportDtmf(DtmfEvent event) {
    try {
      sink.dtmf(event);
    } catch (RuntimeException e) {
      sinkFailed(e);
    }
  }

  private void sinkFailed(RuntimeException e) {
    if (sinkLog.allow(clock.nanoTime())) {
      log.error("Audio sink of Call-ID {} failed", callId, e);
    }
  }

  /** Time passed (the receive thread, every few tens of ms): a digit whose end was lost may end. */
  void idle() {
    if (!closed) {
      events.expire(clock.nanoTime());
    }
  }

  /**
   * The telephone-event payload type of a new SDP (a re-INVITE), or -1 when it has none any more;
   * from any thread. Events of the old type still waiting for reordering are taken as events.
   */
  void telephoneEventPayloadType(int payloadType) {
    telephoneEventPayloadType = payloadType;
  }

  /**
   * The codec of a new SDP: packets of the old one are dropped as a stray payload type from now.
   */
  void codec(Codec next) {
    codec(next, next.payloadType());
  }

  /** As {@link #codec(Codec)}, with the payload type the SDP gave it (Opus's is dynamic). */
  void codec(Codec next, int nextPayloadType) {
    if (next != codec) {
      decoder = next.newDecoder();
    }
    payloadType = nextPayloadType;
    codec = next;
  }

  /** Payloads of G.722 or Opus that were not one good 20 ms frame, concealed instead. */
  long concealedPayloads() {
    Codec.FrameDecoder d = decoder;
    return d == null ? 0 : d.refused();
  }

  /** Takes SRTP with {@code unprotector} from the next packet on; null takes plain RTP. */
  void srtp(SrtpUnprotector unprotector) {
    srtp = unprotector;
  }

  /** SRTP packets refused: authentication failed, replayed, out of the window, too short. */
  long droppedSrtp() {
    return droppedSrtp;
  }

  /** Nothing more reaches the sink once this returns, apart from a delivery already under way. */
  void close() {
    closed = true;
    Codec.FrameDecoder d = decoder;
    if (d != null) {
      d.close();
    }
  }

  /** Valid audio packets of the negotiated codec from the peer. */
  long received() {
    return received;
  }

  long droppedWrongSource() {
    return droppedWrongSource;
  }

  long droppedMalformed() {
    return droppedMalformed;
  }

  long droppedPayloadType() {
    return droppedPayloadType;
  }

  /** RFC 4733 packets of the negotiated payload type from the peer, retransmissions included. */
  long telephoneEvents() {
    return telephoneEvents;
  }

  /** DTMF digits started. */
  long digitsReceived() {
    return events.digits();
  }

  /** Samples reported missing: lost, late, or not sent (DTMF in their place, silence). */
  long missingSamples() {
    return timeline.missing();
  }

  /** When the last valid packet came, or when this receiver was made if none has. */
  long lastPacketNanos() {
    return lastPacketNanos;
  }

  /** Payload octets of the packets counted by {@link #received} and {@link #telephoneEvents}. */
  long octetsReceived() {
    return octetsReceived;
  }

  /** Loss and jitter of the far end's stream as it arrives, for RTCP and the call's figures. */
  ReceptionStatistics statistics() {
    return statistics;
  }

  ReorderBuffer reorder() {
    return reorder;
  }
}

package org.sipline.backend.jainsip.media;

import java.net.InetSocketAddress;
import org.sipline.core.spi.AudioSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's incoming RTP: checks where each datagram came from and what it is, puts the audio back
 * in order, decodes it and hands it to the call's sink.
 *
 * <pre>
 *   datagram → source check (RtpPeer: strict or latching) → RtpPacket.parse → payload type
 *            → ReorderBuffer → Codec.decode → AudioSink
 * </pre>
 *
 * <p>Everything that is not the negotiated audio from the peer is dropped and counted, never
 * thrown: the receive loop serves every call of the JVM. Runs on the receive thread; the counters
 * may be read from any thread.
 */
final class RtpReceiver implements ReorderBuffer.Output {
  /** How many packets may wait for a missing one: 60 ms of 20 ms packets. */
  static final int REORDER_CAPACITY = 3;

  private static final Logger log = LoggerFactory.getLogger(RtpReceiver.class);

  private final RtpPeer peer;
  private final Codec codec;
  private final int telephoneEventPayloadType;
  private final AudioSink sink;
  private final MediaClock clock;
  private final String callId;
  private final RtpPacket packet = new RtpPacket();
  private final ReorderBuffer reorder;
  private final short[] pcm;
  private final int maxDatagram;
  private final LogLimiter wrongSourceLog = new LogLimiter();
  private final LogLimiter malformedLog = new LogLimiter();
  private final LogLimiter payloadTypeLog = new LogLimiter();
  private final LogLimiter sinkLog = new LogLimiter();
  private volatile boolean closed;

  private volatile long received;
  private volatile long droppedWrongSource;
  private volatile long droppedMalformed;
  private volatile long droppedPayloadType;
  private volatile long telephoneEvents;
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
    this.peer = peer;
    this.codec = codec;
    this.telephoneEventPayloadType = telephoneEventPayloadType;
    this.sink = sink;
    this.clock = clock;
    this.callId = callId;
    this.reorder = new ReorderBuffer(REORDER_CAPACITY, maxDatagram, this);
    this.pcm = new short[maxDatagram];
    this.maxDatagram = maxDatagram;
    this.lastPacketNanos = clock.nanoTime();
  }

  /** Takes one datagram as read from the call's socket. */
  // Single writer (the receive thread), readers anywhere: volatile is for visibility, ++ cannot
  // race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  void onDatagram(byte[] buf, int length, InetSocketAddress source) {
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
    if (pt == telephoneEventPayloadType) {
      // DTMF (RFC 4733) is not reported yet; it still shows the peer is alive.
      telephoneEvents++;
      accept(source, now);
      return;
    }
    if (pt != codec.payloadType()) {
      long n = ++droppedPayloadType;
      if (payloadTypeLog.allow(now)) {
        log.warn(
            "RTP payload type {} from {} dropped: Call-ID {} negotiated {}/{} ({} so far)",
            pt,
            source,
            callId,
            codec.encodingName(),
            codec.payloadType(),
            n);
      }
      return;
    }
    accept(source, now);
    received++;
    reorder.offer(
        packet.ssrc(),
        packet.sequenceNumber(),
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

  /** Decodes one in-order payload to the sink. */
  @Override
  public void deliver(byte[] payload, int offset, int length) {
    codec.decode(payload, offset, pcm, 0, length);
    try {
      sink.write(pcm, 0, length);
    } catch (RuntimeException e) {
      if (sinkLog.allow(clock.nanoTime())) {
        log.error("Audio sink of Call-ID {} failed", callId, e);
      }
    }
  }

  /** Nothing more reaches the sink once this returns, apart from a delivery already under way. */
  void close() {
    closed = true;
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

  long telephoneEvents() {
    return telephoneEvents;
  }

  /** When the last valid packet came, or when this receiver was made if none has. */
  long lastPacketNanos() {
    return lastPacketNanos;
  }

  ReorderBuffer reorder() {
    return reorder;
  }
}

package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.sipline.backend.jainsip.media.srtp.SrtpProtector;
import org.sipline.backend.jainsip.media.srtp.SrtpSuite;
import org.sipline.core.spi.AudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's outgoing RTP, one frame per pacer tick:
 *
 * <pre>
 *   AudioSource.read (20 ms PCM) → RtpPacketizer (header) → Codec.encode (payload) → UDP to RtpPeer
 *                                                                  → AudioSource.sent(on wire?)
 *                    while a DTMF digit plays: TelephoneEventSender (event packet instead)
 * </pre>
 *
 * <p>The source is read on every tick even while there is nowhere to send (latching has not caught
 * the peer yet) and while a digit's event packets take the audio's place, so playback time runs
 * with the call; the RTP timestamp advances with it. After each tick the source hears whether its
 * packet reached the socket, and ticks the pacer skipped are passed on, so the core's timeline and
 * the RTP clock stay in step. Buffers are allocated once. Runs on the pacer thread; the counters
 * may be read from any thread.
 */
final class RtpSender implements PacedStream {
  private static final Logger log = LoggerFactory.getLogger(RtpSender.class);

  private final DatagramChannel channel;
  private final AudioSource source;

  /**
   * Set again when a re-INVITE or UPDATE changes the codec (SIP thread); read per tick. A call
   * keeps its codec's audio rate and RTP clock (the SDP code sees to it), so the frame and the
   * timestamp step below stay.
   */
  private volatile Codec codec;

  /** This stream's encoder (G.722 and Opus keep state); replaced with the codec. */
  private volatile Codec.FrameEncoder encoder;

  /** PCM samples per frame at the call's rate, and RTP clock steps per frame. */
  private final int frameSamples;

  private final int frameTicks;
  private final int clockRate;

  /** SRTP for what goes out, or null for plain RTP; set again by a re-INVITE (SIP thread). */
  private volatile SrtpProtector srtp;

  /** False while the peer holds the call (sendonly or inactive): ticks run on, nothing is sent. */
  private volatile boolean sending = true;

  private final RtpPacketizer packetizer;
  private final RtpPeer peer;
  private final MediaClock clock;
  private final String callId;
  private final TelephoneEventSender events;
  private final short[] frame;
  // Audio or an event: the larger of the two payloads, and room for an SRTP tag after it.
  private final byte[] packet;
  // Sending from a direct buffer saves the JDK's copy into a temporary one, and measured about
  // a fifth of the per-packet cost here (the sendto system call is the rest: 7–10 µs).
  private final ByteBuffer packetBuffer;
  private final LogLimiter errorLog = new LogLimiter();
  private volatile boolean closed;

  private volatile long sent;
  private volatile long unsent;
  private volatile long octetsSent;

  // The stream's clock at the last tick, for the RTP timestamp of a sender report. Two fields
  // written without a lock: a report that reads them mid-tick is off by one frame at worst.
  private volatile long tickNanos;
  private volatile long tickTimestamp;

  /** The peer's Opus fmtp, for the encoders this sender makes. */
  private final OpusParameters opus;

  /** A sender whose Opus encoders, if any, run on RFC 7587's defaults. */
  RtpSender(
      DatagramChannel channel,
      AudioSource source,
      Codec codec,
      RtpPacketizer packetizer,
      RtpPeer peer,
      MediaClock clock,
      String callId,
      TelephoneEventSender events) {
    this(channel, source, codec, packetizer, peer, clock, callId, events, OpusParameters.DEFAULTS);
  }

  /**
   * @param events sends DTMF in this stream, or null when telephone-event was not negotiated
   * @param opus what the peer's Opus fmtp asks of the stream we send (defaults when it gave none),
   *     for every Opus encoder this sender makes
   */
  RtpSender(
      DatagramChannel channel,
      AudioSource source,
      Codec codec,
      RtpPacketizer packetizer,
      RtpPeer peer,
      MediaClock clock,
      String callId,
      TelephoneEventSender events,
      OpusParameters opus) {
    this.channel = channel;
    this.opus = opus;
    this.events = events;
    this.source = source;
    this.codec = codec;
    this.encoder = codec.newEncoder(opus);
    this.frameSamples = codec.frameSamples();
    this.frameTicks = codec.frameTicks();
    this.clockRate = codec.rtpClockRate();
    this.frame = new short[frameSamples];
    this.packet =
        new byte
            [RtpPacket.FIXED_HEADER_SIZE
                + Math.max(maxPayload(codec), TelephoneEventPayload.SIZE)
                + SrtpSuite.MAX_RTP_TAG_LENGTH];
    this.packetBuffer = ByteBuffer.allocateDirect(packet.length);
    this.packetizer = packetizer;
    this.peer = peer;
    this.clock = clock;
    this.callId = callId;
  }

  /** The largest payload of any codec the call may switch to (same rate and clock). */
  private static int maxPayload(Codec codec) {
    int max = 0;
    for (Codec c : Codec.values()) {
      if (c.audioRate() == codec.audioRate() && c.rtpClockRate() == codec.rtpClockRate()) {
        max = Math.max(max, c.maxPayload());
      }
    }
    return max;
  }

  // Single writer (the pacer thread), readers anywhere: volatile is for visibility, ++ cannot race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  @Override
  public void sendFrame() {
    if (closed) {
      return;
    }
    // Read even while a digit plays: the core holds its playback meanwhile, and its timeline
    // must run on with the RTP clock.
    boolean audio = readSource();
    tickTimestamp = packetizer.nextTimestamp();
    tickNanos = clock.nanoTime();
    InetSocketAddress to = peer.address();
    boolean event = events != null && events.active();
    boolean onWire;
    int payload;
    if (event) {
      int length = events.nextPacket(packet, packetizer, frameTicks, to != null);
      onWire = to != null && send(length, to);
      payload = length - RtpPacket.FIXED_HEADER_SIZE;
    } else if (to == null || !sending) {
      packetizer.skip(1, frameTicks);
      onWire = false;
      payload = 0;
    } else {
      int header = packetizer.nextHeader(packet, audio, frameTicks);
      payload = encode(header);
      onWire = payload > 0 && send(header + payload, to);
    }
    if (onWire) {
      sent++;
      octetsSent += payload;
    } else {
      unsent++;
    }
    if (event) {
      events.sent(onWire);
    }
    reportSent(onWire);
  }

  /** Hands {@code packet[0, length)} to the socket; false when it did not take it. */
  private boolean send(int length, InetSocketAddress to) {
    SrtpProtector protector = srtp;
    if (protector != null) {
      length = protector.protectRtp(packet, length);
    }
    packetBuffer.clear();
    packetBuffer.put(packet, 0, length).flip();
    try {
      // 0: a full socket buffer; the kernel could not take the packet, lost as on a wire.
      return channel.send(packetBuffer, to) > 0;
    } catch (IOException | UnsupportedAddressTypeException e) {
      // The latter: the SDP named an IPv6 address for an IPv4 socket, or the other way round.
      if (!closed && channel.isOpen() && errorLog.allow(clock.nanoTime())) {
        log.warn("RTP send to {} failed (Call-ID {}): {}", to, callId, e.toString());
      }
      return false;
    }
  }

  /** The frame encoded behind the header; 0 when the encoder failed (then nothing is sent). */
  private int encode(int header) {
    try {
      return encoder.encode(frame, packet, header);
    } catch (RuntimeException e) {
      // libopus refusing a frame is not expected; the call goes on, a frame short.
      if (errorLog.allow(clock.nanoTime())) {
        log.error("{} encoder of Call-ID {} failed", codec.encodingName(), callId, e);
      }
      return 0;
    }
  }

  @Override
  public void skipFrames(int frames) {
    if (closed) {
      return;
    }
    packetizer.skip(frames, frameTicks);
    try {
      source.skipped(frames);
    } catch (RuntimeException e) {
      sourceFailed("skipped", e);
    }
  }

  /**
   * Queues a DTMF digit for this stream (see {@link TelephoneEventSender#enqueue}).
   *
   * @throws IllegalStateException when telephone-event was not negotiated
   */
  CompletableFuture<Void> sendDtmf(char digit, int durationMillis) {
    if (events == null || !events.negotiated()) {
      throw new IllegalStateException(
          "telephone-event was not negotiated for Call-ID " + callId + "; DTMF needs SIP INFO");
    }
    return events.enqueue(digit, durationMillis);
  }

  /** Audio from the next tick on is {@code next}'s, in its payload type. */
  void codec(Codec next) {
    codec(next, next.payloadType());
  }

  /** As {@link #codec(Codec)}, with the payload type the SDP gave it (Opus's is dynamic). */
  void codec(Codec next, int payloadType) {
    if (next != codec) {
      encoder = next.newEncoder(opus);
    }
    codec = next;
    packetizer.payloadType(payloadType);
  }

  /** Protects packets from the next tick on with {@code protector}; null sends plain RTP. */
  void srtp(SrtpProtector protector) {
    srtp = protector;
  }

  /**
   * Stops or resumes sending (RFC 3264 §6.1: a peer that holds the call, with sendonly or inactive,
   * gets no RTP). The source is still read every tick, so the core's playback timeline runs on.
   */
  void sending(boolean on) {
    sending = on;
  }

  /** Where a new telephone-event payload type goes (a re-INVITE), or null without one. */
  TelephoneEventSender events() {
    return events;
  }

  /** DTMF digits whose end packets went out. */
  long digitsSent() {
    return events == null ? 0 : events.digitsSent();
  }

  /**
   * Nothing is read or sent once this returns, apart from a frame already under way; digits not
   * sent yet fail.
   */
  void close() {
    closed = true;
    encoder.close();
    if (events != null) {
      events.close();
    }
  }

  private void reportSent(boolean onWire) {
    try {
      source.sent(onWire);
    } catch (RuntimeException e) {
      sourceFailed("sent", e);
    }
  }

  private void sourceFailed(String what, RuntimeException e) {
    if (errorLog.allow(clock.nanoTime())) {
      log.error("Audio source of Call-ID {} failed in {}()", callId, what, e);
    }
  }

  private boolean readSource() {
    try {
      return source.read(frame);
    } catch (RuntimeException e) {
      // The core's source should never throw; if it does, the call sends silence, not nothing,
      // so the RTP clock and the peer's media timeout stay intact.
      if (errorLog.allow(clock.nanoTime())) {
        log.error("Audio source of Call-ID {} failed; sending silence", callId, e);
      }
      Arrays.fill(frame, (short) 0);
      return false;
    }
  }

  /** Packets handed to the socket, DTMF events included. */
  long sent() {
    return sent;
  }

  /** Payload octets of the packets handed to the socket (RFC 3550's sender's octet count). */
  long octetsSent() {
    return octetsSent;
  }

  /** The stream's RTP timestamp at {@code nanos} of the media clock, from the last tick's. */
  long rtpTimestampAt(long nanos) {
    long elapsed = nanos - tickNanos;
    return (tickTimestamp + elapsed * clockRate / 1_000_000_000L) & 0xFFFF_FFFFL;
  }

  /** Ticks whose packet was not sent: no peer address yet, full socket buffer, or a send error. */
  long unsent() {
    return unsent;
  }

  RtpPacketizer packetizer() {
    return packetizer;
  }
}

package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Arrays;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's outgoing RTP, one frame per pacer tick:
 *
 * <pre>
 *   AudioSource.read (20 ms PCM) → RtpPacketizer (header) → Codec.encode (payload) → UDP to RtpPeer
 * </pre>
 *
 * <p>The source is read on every tick even while there is nowhere to send (latching has not caught
 * the peer yet), so playback time runs with the call; the RTP timestamp advances with it. Buffers
 * are allocated once. Runs on the pacer thread; the counters may be read from any thread.
 */
final class RtpSender implements PacedStream {
  private static final Logger log = LoggerFactory.getLogger(RtpSender.class);
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  private final DatagramChannel channel;
  private final AudioSource source;
  private final Codec codec;
  private final RtpPacketizer packetizer;
  private final RtpPeer peer;
  private final MediaClock clock;
  private final String callId;
  private final short[] frame = new short[FRAME];
  private final byte[] packet = new byte[RtpPacket.FIXED_HEADER_SIZE + FRAME];
  // Sending from a direct buffer saves the JDK's copy into a temporary one, and measured about
  // a fifth of the per-packet cost here (the sendto system call is the rest: 7–10 µs).
  private final ByteBuffer packetBuffer = ByteBuffer.allocateDirect(packet.length);
  private final LogLimiter errorLog = new LogLimiter();
  private volatile boolean closed;

  private volatile long sent;
  private volatile long unsent;

  RtpSender(
      DatagramChannel channel,
      AudioSource source,
      Codec codec,
      RtpPacketizer packetizer,
      RtpPeer peer,
      MediaClock clock,
      String callId) {
    this.channel = channel;
    this.source = source;
    this.codec = codec;
    this.packetizer = packetizer;
    this.peer = peer;
    this.clock = clock;
    this.callId = callId;
  }

  // Single writer (the pacer thread), readers anywhere: volatile is for visibility, ++ cannot race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  @Override
  public void sendFrame() {
    if (closed) {
      return;
    }
    boolean audio = readSource();
    InetSocketAddress to = peer.address();
    if (to == null) {
      packetizer.skip(1, FRAME);
      unsent++;
      return;
    }
    int header = packetizer.nextHeader(packet, audio, FRAME);
    codec.encode(frame, 0, packet, header, FRAME);
    packetBuffer.clear();
    packetBuffer.put(packet, 0, header + FRAME).flip();
    try {
      if (channel.send(packetBuffer, to) > 0) {
        sent++;
      } else {
        // A full socket buffer: the kernel could not take the packet; it is lost like on a wire.
        unsent++;
      }
    } catch (IOException | UnsupportedAddressTypeException e) {
      // The latter: the SDP named an IPv6 address for an IPv4 socket, or the other way round.
      unsent++;
      if (!closed && channel.isOpen() && errorLog.allow(clock.nanoTime())) {
        log.warn("RTP send to {} failed (Call-ID {}): {}", to, callId, e.toString());
      }
    }
  }

  @Override
  public void skipFrames(int frames) {
    packetizer.skip(frames, FRAME);
  }

  /** Nothing is read or sent once this returns, apart from a frame already under way. */
  void close() {
    closed = true;
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

  /** Packets handed to the socket. */
  long sent() {
    return sent;
  }

  /** Frames not sent: no peer address yet, full socket buffer, or a send error. */
  long unsent() {
    return unsent;
  }

  RtpPacketizer packetizer() {
    return packetizer;
  }
}

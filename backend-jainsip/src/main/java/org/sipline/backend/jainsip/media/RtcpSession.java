package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.sipline.backend.jainsip.media.srtp.SrtpProtector;
import org.sipline.backend.jainsip.media.srtp.SrtpSuite;
import org.sipline.backend.jainsip.media.srtp.SrtpUnprotector;
import org.sipline.core.spi.ReceptionReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's RTCP (RFC 3550 §6) on the port above its RTP port: reports sent at the randomised
 * interval of {@link RtcpInterval} (an SR while we send RTP, else an RR, with a report block about
 * the far end's stream and our SDES CNAME), a BYE at the end, and the far end's compound packets
 * read: its sender reports (packet and octet counts, the time for our LSR/DLSR), its report blocks
 * about our stream (loss, jitter, and the round-trip time from LSR/DLSR), its BYE.
 *
 * <pre>
 *   RTCP timer thread: report() → RtcpWriter (SR|RR + SDES) → UDP to the far end's RTP port + 1
 *   receive thread:    onDatagram → source check → RtcpParser → Handler callbacks below
 * </pre>
 *
 * <p>Datagrams from anyone but the far end are dropped and counted, as for RTP: from the SDP's
 * address and port + 1, or, while RTP latches, from the address RTP latched onto (its first valid
 * RTCP source port is taken then). Malformed ones are dropped and counted too; nothing here throws
 * into the receive loop.
 */
final class RtcpSession implements DatagramHandler, RtcpParser.Handler {
  /** §6.2: RTCP's share of the session bandwidth. */
  static final double RTCP_SHARE = 0.05;

  /**
   * G.711's session bandwidth with IPv4, UDP and RTP headers: 160 + 40 bytes per 20 ms, 10 kB/s.
   * G.722 runs at the same 64 kbit/s; Opus at 16 kHz uses less, and for a two-party call the
   * interval's 5 s minimum (§6.2) governs anyway, so one figure serves every codec.
   */
  static final double SESSION_BYTES_PER_SECOND = 10_000;

  /** IPv4 and UDP headers, counted in the average RTCP size (§6.2). */
  private static final int UDP_IP_OVERHEAD = 28;

  private static final Logger log = LoggerFactory.getLogger(RtcpSession.class);

  private final DatagramChannel channel;
  private final RtpPeer rtpPeer;
  private final RtpSender sender;
  private final ReceptionStatistics inbound;
  private final MediaClock clock;
  private final NtpTime ntp;
  private final RandomGenerator random;
  private final ScheduledExecutorService timer;
  private final String callId;
  private final long ssrc;
  private final int clockRate;
  private final byte[] cname;
  private final byte[] out;
  private final ByteBuffer outBuffer;
  private final RtcpWriter.Block block = new RtcpWriter.Block();
  private final LogLimiter dropLog = new LogLimiter();
  private final LogLimiter sendLog = new LogLimiter();

  // SRTCP both ways, or null for plain RTCP; guarded by this.
  private SrtpProtector protector;
  private SrtpUnprotector unprotector;

  // Guarded by this: written by the receive thread, the timer thread and close().
  private boolean closed;
  private boolean initial = true;
  private double averageSize;
  private long lastSentPackets = -1;
  private boolean weSentRecently;
  private ScheduledFuture<?> next;
  private InetSocketAddress latchedSource;
  private long farEndSrMiddle;
  private long farEndSrArrivalNanos;
  private long farEndPackets = -1;
  private long farEndOctets = -1;
  private boolean farEndSentRecently;
  // The far end's latest report block about our stream, kept as numbers so that reading a
  // report allocates nothing on the receive thread.
  private boolean outboundReported;
  private long outboundExpected;
  private long outboundLost;
  private int outboundFraction;
  private long outboundJitter;
  private double roundTripMillis = -1;
  private boolean farEndBye;
  private InetSocketAddress destinationOf;
  private InetSocketAddress destination;
  private final long firstSequence;

  private volatile long sent;
  private volatile long received;
  private volatile long dropped;

  RtcpSession(
      DatagramChannel channel,
      RtpPeer rtpPeer,
      RtpSender sender,
      ReceptionStatistics inbound,
      MediaClock clock,
      NtpTime ntp,
      RandomGenerator random,
      ScheduledExecutorService timer,
      String callId,
      String cname) {
    this.channel = channel;
    this.rtpPeer = rtpPeer;
    this.sender = sender;
    this.inbound = inbound;
    this.clock = clock;
    this.ntp = ntp;
    this.random = random;
    this.timer = timer;
    this.callId = callId;
    this.ssrc = sender.packetizer().ssrc();
    this.clockRate = inbound.clockRate();
    this.firstSequence = sender.packetizer().nextSequenceNumber();
    byte[] name = cname.getBytes(StandardCharsets.UTF_8);
    this.cname = name.length > 255 ? java.util.Arrays.copyOf(name, 255) : name;
    this.out = new byte[RtcpWriter.maxSize(this.cname.length) + SrtpSuite.RTCP_OVERHEAD];
    this.outBuffer = ByteBuffer.allocateDirect(out.length);
    this.averageSize = RtcpWriter.maxSize(this.cname.length) + UDP_IP_OVERHEAD;
  }

  /** Schedules the first report. */
  synchronized void start() {
    scheduleNext();
  }

  private void scheduleNext() {
    int senders = (weSentRecently ? 1 : 0) + (farEndSentRecently ? 1 : 0);
    double seconds =
        RtcpInterval.seconds(
            2,
            senders,
            SESSION_BYTES_PER_SECOND * RTCP_SHARE,
            weSentRecently,
            averageSize,
            initial,
            random);
    next = timer.schedule(this::report, (long) (seconds * 1e6), TimeUnit.MICROSECONDS);
  }

  /** The timer's task: one report, then the next one scheduled. */
  private void report() {
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        send(false);
      } catch (RuntimeException e) {
        // The timer serves every call: a fault here must not stop the others' reports.
        if (sendLog.allow(clock.nanoTime())) {
          log.error("RTCP report of Call-ID {} failed", callId, e);
        }
      }
      initial = false;
      scheduleNext();
    }
  }

  /** Builds and sends one compound packet; caller holds the lock. */
  // Written under the lock only (timer thread or close()); volatile so any thread reads it.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void send(boolean bye) {
    long now = clock.nanoTime();
    long packets = sender.sent();
    boolean senderInfo = packets > 0 && packets != lastSentPackets;
    weSentRecently = senderInfo;
    lastSentPackets = packets;
    RtcpWriter.Block b = null;
    if (inbound.started()) {
      b = block;
      b.source = inbound.ssrc();
      b.fractionLost = inbound.takeFractionLost();
      b.cumulativeLost = inbound.cumulativeLost();
      b.extendedHighestSequence = inbound.extendedHighestSequence();
      b.jitter = inbound.jitter();
      b.lastSr = farEndPackets >= 0 ? farEndSrMiddle : 0;
      b.delaySinceLastSr =
          farEndPackets >= 0 ? ((now - farEndSrArrivalNanos) << 16) / 1_000_000_000L : 0;
    }
    long ntpNanos = ntp.ntpNanos(now);
    int length =
        RtcpWriter.write(
            out,
            ssrc,
            senderInfo,
            ntpNanos,
            sender.rtpTimestampAt(now),
            packets,
            sender.octetsSent(),
            b,
            cname,
            bye);
    InetSocketAddress to = destination();
    if (to == null) {
      averageSize = averageSize + (length + UDP_IP_OVERHEAD - averageSize) / 16; // §6.3.3
      return; // latching has no far end yet
    }
    if (protector != null) {
      length = protector.protectRtcp(out, length);
    }
    averageSize = averageSize + (length + UDP_IP_OVERHEAD - averageSize) / 16; // §6.3.3
    outBuffer.clear();
    outBuffer.put(out, 0, length).flip();
    try {
      if (channel.send(outBuffer, to) > 0) {
        sent++;
      }
    } catch (IOException | UnsupportedAddressTypeException e) {
      if (channel.isOpen() && sendLog.allow(now)) {
        log.warn("RTCP send to {} failed (Call-ID {}): {}", to, callId, e.toString());
      }
    }
  }

  /** The far end's RTCP address: its RTP port + 1, or where its RTCP came from while latching. */
  private InetSocketAddress destination() {
    InetSocketAddress rtp = rtpPeer.address();
    if (rtp == null) {
      return null;
    }
    if (rtpPeer.latching() && latchedSource != null) {
      return latchedSource;
    }
    if (!rtp.equals(destinationOf)) {
      // Made again only when the far end's RTP address changes (a re-INVITE), so that a report
      // allocates nothing (RtcpBenchmark.reportSent).
      destinationOf = rtp;
      destination = new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
    }
    return destination;
  }

  // Single writer (the receive thread): volatile is for visibility, ++ cannot race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  @Override
  public void onDatagram(byte[] buf, int length, InetSocketAddress source) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (!admits(source)) {
        long n = ++dropped;
        if (dropLog.allow(clock.nanoTime())) {
          log.warn(
              "RTCP from {} dropped: Call-ID {} expects the far end {} ({} dropped so far)",
              source,
              callId,
              rtpPeer.address(),
              n);
        }
        return;
      }
      int plain = length;
      if (unprotector != null) {
        plain = unprotector.unprotectRtcp(buf, length);
        if (plain < 0) {
          long n = ++dropped;
          if (dropLog.allow(clock.nanoTime())) {
            log.warn(
                "SRTCP from {} dropped (Call-ID {}): {} ({} dropped so far)",
                source,
                callId,
                SrtpRefusal.text(plain),
                n);
          }
          return;
        }
      }
      try {
        RtcpParser.parse(buf, 0, plain, this);
      } catch (MalformedRtpException e) {
        long n = ++dropped;
        if (dropLog.allow(clock.nanoTime())) {
          log.warn(
              "Malformed RTCP from {} dropped (Call-ID {}): {} ({} dropped so far)",
              source,
              callId,
              e.getMessage(),
              n);
        }
        return;
      }
      received++;
      averageSize = averageSize + (length + UDP_IP_OVERHEAD - averageSize) / 16;
      if (rtpPeer.latching() && latchedSource == null) {
        latchedSource = source;
      }
    }
  }

  private boolean admits(InetSocketAddress source) {
    InetSocketAddress rtp = rtpPeer.address();
    if (rtp == null) {
      return false; // nothing to compare with: RTP has not latched yet
    }
    if (!rtp.getAddress().equals(source.getAddress())) {
      return false;
    }
    if (rtpPeer.latching()) {
      return latchedSource == null || latchedSource.getPort() == source.getPort();
    }
    return rtp.getPort() + 1 == source.getPort();
  }

  // ---- the far end's packets (receive thread, under the lock) ---------------------------------

  @Override
  public void senderReport(
      long srcSsrc,
      long ntpSeconds,
      long ntpFraction,
      long rtpTimestamp,
      long packets,
      long octets) {
    farEndSrMiddle = NtpTime.middle(ntpSeconds, ntpFraction);
    farEndSrArrivalNanos = clock.nanoTime();
    farEndSentRecently = packets != farEndPackets;
    farEndPackets = packets;
    farEndOctets = octets;
  }

  @Override
  public void reportBlock(
      long reporter,
      long source,
      int fractionLost,
      int cumulativeLost,
      long extendedHighestSequence,
      long jitter,
      long lastSr,
      long delaySinceLastSr) {
    if (source != ssrc) {
      return; // about someone else's stream
    }
    outboundReported = true;
    outboundExpected = Math.max(0, extendedHighestSequence - firstSequence + 1);
    outboundLost = cumulativeLost;
    outboundFraction = fractionLost;
    outboundJitter = jitter;
    if (lastSr != 0) {
      // §6.4.1: RTT = A − LSR − DLSR, in 1/65536 s, all middle-32-bit NTP values.
      long arrival = NtpTime.middle(ntp.ntpNanos(clock.nanoTime()));
      long rtt = (arrival - lastSr - delaySinceLastSr) & 0xFFFF_FFFFL;
      if (rtt < 0x8000_0000L) {
        roundTripMillis = rtt * 1000.0 / 65536;
      }
    }
  }

  @Override
  public void cname(long srcSsrc, byte[] buf, int offset, int length) {
    // The CNAME ties streams of one participant together; a call has one stream each way.
  }

  @Override
  public void bye(long srcSsrc) {
    if (!farEndBye) {
      farEndBye = true;
      log.info("RTCP BYE from the far end of Call-ID {}", callId);
    }
  }

  // ---- figures and end ----------------------------------------------------------------------

  /** The far end's view of our stream, from its latest report block about it. */
  synchronized ReceptionReport outbound() {
    if (!outboundReported) {
      return ReceptionReport.NONE;
    }
    return new ReceptionReport(
        true,
        outboundExpected,
        outboundLost,
        outboundFraction / 256.0,
        outboundJitter * 1000.0 / clockRate);
  }

  synchronized double roundTripMillis() {
    return roundTripMillis;
  }

  synchronized long farEndPackets() {
    return farEndPackets;
  }

  synchronized long farEndOctets() {
    return farEndOctets;
  }

  synchronized boolean farEndBye() {
    return farEndBye;
  }

  long sent() {
    return sent;
  }

  long received() {
    return received;
  }

  long dropped() {
    return dropped;
  }

  /** SRTCP from the next packet on with these, or plain RTCP with nulls. */
  synchronized void srtp(SrtpProtector protector, SrtpUnprotector unprotector) {
    this.protector = protector;
    this.unprotector = unprotector;
  }

  /** Stops reporting; with {@code bye} a last report and a BYE go out first (§6.3.7). */
  synchronized void close(boolean bye) {
    if (closed) {
      return;
    }
    if (next != null) {
      next.cancel(false);
    }
    if (bye) {
      try {
        send(true);
      } catch (RuntimeException e) {
        log.warn("RTCP BYE of Call-ID {} failed", callId, e);
      }
    }
    closed = true;
  }
}

package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.sipline.backend.jainsip.media.srtp.SrtpKeys;
import org.sipline.backend.jainsip.media.srtp.SrtpProtector;
import org.sipline.backend.jainsip.media.srtp.SrtpUnprotector;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SrtpRefusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's RTP: a UDP socket reserved by {@link MediaEngine#allocate()} (so the SDP can name its
 * port), then sending and receiving from {@link #start} until {@link #close}.
 *
 * <p>Life: {@code ALLOCATED → STARTED → CLOSED}, or {@code ALLOCATED → CLOSED}; a method called in
 * a state where it makes no sense throws {@link IllegalStateException} naming the state.
 * Thread-safe.
 */
public final class MediaSession implements AutoCloseable {
  /** No RFC 4733 telephone-event payload type was negotiated. */
  public static final int NO_TELEPHONE_EVENT = -1;

  private static final Logger log = LoggerFactory.getLogger(MediaSession.class);

  private enum State {
    ALLOCATED,
    STARTED,
    CLOSED;

    /** The one transition rule: forward only, CLOSED is terminal. */
    State moveTo(State next, String action) {
      boolean allowed =
          switch (this) {
            case ALLOCATED -> next == STARTED || next == CLOSED;
            case STARTED -> next == CLOSED;
            case CLOSED -> false;
          };
      if (!allowed) {
        throw new IllegalStateException(action + " in state " + this);
      }
      return next;
    }
  }

  private final MediaEngine engine;
  private final DatagramChannel channel;
  private final DatagramChannel rtcpChannel;
  private final int localPort;
  private final long allocatedNanos;
  private State state = State.ALLOCATED;

  /** The far end's Opus fmtp for our encoder; set before start. */
  private OpusParameters opus = OpusParameters.DEFAULTS;

  private String callId;

  // The codec the media started with: a later one keeps its rates (guarded by this).
  private Codec startCodec;
  private RtpPeer peer;
  private RtpSender sender;
  private RtpReceiver receiver;
  private Pacer.Registration pacing;
  private WavRecorder recorder;
  private int telephoneEvent = NO_TELEPHONE_EVENT;
  private RtcpSession rtcp;
  private SrtpKeys sendKeys;
  private SrtpKeys receiveKeys;
  private SrtpProtector protector;
  private SrtpUnprotector unprotector;
  // The counters of receive contexts a re-key replaced, so the call's totals keep them.
  private long srtpAuthFailures;
  private long srtpReplays;
  private long srtpOutOfWindow;

  // The figures at close, kept when the media graph is let go (null before close).
  private MediaStats closedStats;
  private RtpStatistics closedStatistics;
  private SrtpRefusals closedRefusals;
  private long closedConcealed;

  MediaSession(
      MediaEngine engine,
      DatagramChannel channel,
      DatagramChannel rtcpChannel,
      int localPort,
      long allocatedNanos) {
    this.engine = engine;
    this.channel = channel;
    this.rtcpChannel = rtcpChannel;
    this.localPort = localPort;
    this.allocatedNanos = allocatedNanos;
  }

  /** The local RTP port, for the SDP; RTCP runs on the port above it. */
  public int localPort() {
    return localPort;
  }

  /** Same as {@link #start(InetSocketAddress, Codec, int, CallMedia, String)} without DTMF. */
  public void start(InetSocketAddress remote, Codec codec, CallMedia media, String callId) {
    start(remote, codec, NO_TELEPHONE_EVENT, media, callId);
  }

  /**
   * Starts the call's media: a frame from {@code media.source()} every 20 ms to {@code remote}, and
   * what {@code remote} sends, decoded, to {@code media.sink()} (and to a recording when the engine
   * has a recordings directory).
   *
   * @param remote the address and port of the SDP's audio; null or unusable (0.0.0.0, port 0)
   *     means: take the source of the first valid packet as the peer (latching)
   * @param codec the negotiated codec, sent and expected
   * @param telephoneEventPayloadType the negotiated RFC 4733 payload type: received events become
   *     DTMF digits at the sink and {@link #sendDtmf} sends them; or {@link #NO_TELEPHONE_EVENT}
   * @param callId the dialog's Call-ID, for logs and the recording's file name
   * @throws IllegalStateException when started or closed already
   */
  public void start(
      InetSocketAddress remote,
      Codec codec,
      int telephoneEventPayloadType,
      CallMedia media,
      String callId) {
    Objects.requireNonNull(codec, "codec");
    start(remote, codec, codec.payloadType(), telephoneEventPayloadType, media, callId);
  }

  /**
   * As {@link #start(InetSocketAddress, Codec, int, CallMedia, String)}, with the payload type the
   * SDP gave the codec (Opus's is dynamic). The media's frames are {@code codec.frameSamples()}
   * long: the core sizes them from the call's audio rate, which is the codec's.
   *
   * @param payloadType the codec's payload type, 0..127
   */
  public void start(
      InetSocketAddress remote,
      Codec codec,
      int payloadType,
      int telephoneEventPayloadType,
      CallMedia media,
      String callId) {
    Objects.requireNonNull(codec, "codec");
    if (payloadType < 0 || payloadType > 127) {
      throw new IllegalArgumentException("payload type out of range 0..127: " + payloadType);
    }
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(callId, "callId");
    if (telephoneEventPayloadType != NO_TELEPHONE_EVENT
        && (telephoneEventPayloadType < 0 || telephoneEventPayloadType > 127)) {
      throw new IllegalArgumentException(
          "telephone-event payload type out of range 0..127: " + telephoneEventPayloadType);
    }
    synchronized (this) {
      state = state.moveTo(State.STARTED, "start");
      this.startCodec = codec;
      this.callId = callId;
      this.telephoneEvent = telephoneEventPayloadType;
      discardEarlyDatagrams(channel);
      discardEarlyDatagrams(rtcpChannel);
      MediaClock clock = engine.clock();
      peer = new RtpPeer(remote);
      recorder = engine.openRecorder(callId, codec.audioRate());
      AudioSink sink = recorder == null ? media.sink() : new TeeSink(recorder, media.sink());
      receiver =
          new RtpReceiver(
              peer,
              codec,
              payloadType,
              telephoneEventPayloadType,
              sink,
              clock,
              callId,
              ReceiveLoop.MAX_DATAGRAM);
      sender =
          new RtpSender(
              channel,
              media.source(),
              codec,
              new RtpPacketizer(payloadType, engine.random()),
              peer,
              clock,
              callId,
              // Made even without a type: a re-INVITE may negotiate one later.
              new TelephoneEventSender(telephoneEventPayloadType, codec.rtpClockRate()),
              opus);
      rtcp =
          new RtcpSession(
              rtcpChannel,
              peer,
              sender,
              receiver.statistics(),
              clock,
              engine.ntp(),
              engine.random(),
              engine.rtcpTimer(),
              callId,
              engine.cname());
      applySrtp();
      pacing = engine.pacers().add(sender);
      engine.receiveLoop().register(channel, receiver);
      engine.receiveLoop().register(rtcpChannel, rtcp);
      rtcp.start();
    }
    log.info(
        "RTP started for Call-ID {}: local port {}, remote {}, {}/{}, {}",
        callId,
        localPort,
        RtpPeer.usable(remote) ? remote : "latching (SDP said " + remote + ")",
        codec.encodingName(),
        payloadType,
        srtpText());
  }

  /**
   * What the far end's Opus fmtp (RFC 7587 §6.1) asks of the stream we send: its playback rate
   * bounds the encoder's bandwidth, its maxaveragebitrate our bit rate, useinbandfec turns FEC on.
   * Set before {@link #start}; without it Opus encodes with RFC 7587's defaults. Other codecs
   * ignore it.
   *
   * @param parameters the peer's parameters, as {@link OpusParameters#parse} read them
   * @throws IllegalStateException once started or closed
   */
  public synchronized void opus(OpusParameters parameters) {
    Objects.requireNonNull(parameters, "parameters");
    if (state != State.ALLOCATED) {
      throw new IllegalStateException("opus parameters in state " + state);
    }
    this.opus = parameters;
  }

  /**
   * The call's SRTP keys (SDES, RFC 4568): ours for what we send, the far end's for what we take;
   * both null for plain RTP. Before {@link #start} they apply from the start, after it from the
   * next packet (a re-INVITE that changed them). Keys equal to the ones in use change nothing: the
   * contexts and their rollover counters go on (RFC 4568 §7.1.4).
   *
   * @param send our keys, or null
   * @param receive the far end's keys, or null
   * @throws IllegalArgumentException when only one direction has keys
   * @throws IllegalStateException when closed
   */
  public synchronized void srtp(SrtpKeys send, SrtpKeys receive) {
    if ((send == null) != (receive == null)) {
      throw new IllegalArgumentException("SRTP needs keys both ways, or none");
    }
    if (state == State.CLOSED) {
      throw new IllegalStateException("srtp in state " + state);
    }
    if (send == null ? protector != null : !send.sameAs(sendKeys)) {
      protector = send == null ? null : new SrtpProtector(send, ReceiveLoop.MAX_DATAGRAM);
    }
    if (receive == null ? unprotector != null : !receive.sameAs(receiveKeys)) {
      if (unprotector != null) {
        srtpAuthFailures += unprotector.authFailures();
        srtpReplays += unprotector.replays();
        srtpOutOfWindow += unprotector.outOfWindow();
      }
      unprotector = receive == null ? null : new SrtpUnprotector(receive, ReceiveLoop.MAX_DATAGRAM);
    }
    sendKeys = send;
    receiveKeys = receive;
    if (state == State.STARTED) {
      applySrtp();
      log.info("RTP of Call-ID {} now {}", callId, srtpText());
    }
  }

  private void applySrtp() {
    sender.srtp(protector);
    receiver.srtp(unprotector);
    rtcp.srtp(protector, unprotector);
  }

  /** What protects the media, for log lines: the suite each way, never a key. */
  private String srtpText() {
    if (protector == null) {
      return "plain RTP";
    }
    return "SRTP " + protector.suite() + " out, " + unprotector.suite() + " in";
  }

  /**
   * SRTP and SRTCP packets refused so far (over every key the far end used); zeros for plain RTP.
   *
   * @return the counts
   */
  public synchronized SrtpRefusals srtpRefusals() {
    if (closedRefusals != null) {
      return closedRefusals;
    }
    SrtpUnprotector u = unprotector;
    return new SrtpRefusals(
        srtpAuthFailures + (u == null ? 0 : u.authFailures()),
        srtpReplays + (u == null ? 0 : u.replays()),
        srtpOutOfWindow + (u == null ? 0 : u.outOfWindow()));
  }

  /**
   * Points the media at the address of a new SDP (re-INVITE); an unusable one starts latching
   * afresh.
   *
   * @throws IllegalStateException unless started
   */
  public synchronized void updateRemote(InetSocketAddress remote) {
    if (state != State.STARTED) {
      throw new IllegalStateException("updateRemote in state " + state);
    }
    peer.update(remote);
    log.info(
        "RTP remote of Call-ID {} now {}",
        callId,
        RtpPeer.usable(remote) ? remote : "latching (SDP said " + remote + ")");
  }

  /**
   * The telephone-event payload type of a new SDP (a re-INVITE's offer): received events are those
   * of this type from now on, and digits sent from now on carry it; {@link #NO_TELEPHONE_EVENT}
   * when the new SDP has none (then {@link #sendDtmf} refuses, and the call's DTMF goes by INFO).
   *
   * @throws IllegalStateException unless started
   * @throws IllegalArgumentException for a type out of 0..127
   */
  public synchronized void updateTelephoneEvent(int payloadType) {
    if (payloadType != NO_TELEPHONE_EVENT && (payloadType < 0 || payloadType > 127)) {
      throw new IllegalArgumentException(
          "telephone-event payload type out of range 0..127: " + payloadType);
    }
    if (state != State.STARTED) {
      throw new IllegalStateException("updateTelephoneEvent in state " + state);
    }
    if (telephoneEvent == payloadType) {
      return;
    }
    telephoneEvent = payloadType;
    receiver.telephoneEventPayloadType(payloadType);
    sender.events().payloadType(payloadType);
    log.info(
        "RTP telephone-event of Call-ID {} now {}",
        callId,
        payloadType == NO_TELEPHONE_EVENT ? "none (DTMF by SIP INFO)" : payloadType);
  }

  /**
   * The codec of a new SDP (a re-INVITE's or UPDATE's): sent from the next frame on, and the only
   * audio payload type received.
   *
   * @throws IllegalStateException unless started
   */
  public synchronized void updateCodec(Codec codec) {
    updateCodec(codec, codec.payloadType());
  }

  /**
   * As {@link #updateCodec(Codec)}, with the payload type the SDP gave it; the codec must keep the
   * call's audio rate and RTP clock (the core's frames and the timestamps run on).
   *
   * @throws IllegalStateException unless started
   * @throws IllegalArgumentException for a codec of another rate or clock
   */
  public synchronized void updateCodec(Codec codec, int payloadType) {
    Objects.requireNonNull(codec, "codec");
    if (state != State.STARTED) {
      throw new IllegalStateException("updateCodec in state " + state);
    }
    if (codec.audioRate() != startCodec.audioRate()
        || codec.rtpClockRate() != startCodec.rtpClockRate()) {
      throw new IllegalArgumentException(
          codec.encodingName() + " runs at another rate than " + startCodec.encodingName());
    }
    sender.codec(codec, payloadType);
    receiver.codec(codec, payloadType);
    log.info("RTP codec of Call-ID {} now {}/{}", callId, codec.encodingName(), payloadType);
  }

  /**
   * Sends RTP, or stops sending while the peer holds the call (RFC 3264 §6.1); what the peer sends
   * is received either way.
   *
   * @throws IllegalStateException unless started
   */
  public synchronized void updateSending(boolean on) {
    if (state != State.STARTED) {
      throw new IllegalStateException("updateSending in state " + state);
    }
    sender.sending(on);
    log.info("RTP of Call-ID {}: {}", callId, on ? "sending" : "not sending (held)");
  }

  /**
   * Sends one DTMF digit as RFC 4733 events in this call's RTP stream, in place of the audio for
   * its duration and its three end packets; the source is still read every tick. Digits asked for
   * while one plays follow it.
   *
   * <p>The future completes on the pacer thread, which serves every call: attach only quick,
   * non-blocking continuations, or hand over with an {@code …Async} method. It fails with {@link
   * org.sipline.core.spi.SipFailureException} when no end packet could be sent (no peer address
   * yet) or the session closed first.
   *
   * @param digit one of {@code 0-9 * # A-D}
   * @param durationMillis 40..2000
   * @throws IllegalStateException unless started with a telephone-event payload type, or when
   *     closed
   * @throws IllegalArgumentException naming a digit or duration out of range
   */
  public synchronized CompletableFuture<Void> sendDtmf(char digit, int durationMillis) {
    if (state != State.STARTED) {
      throw new IllegalStateException("sendDtmf in state " + state);
    }
    return sender.sendDtmf(digit, durationMillis);
  }

  /** G.722 or Opus payloads that were not one good frame and were concealed (0 before start). */
  synchronized long concealedPayloads() {
    if (state == State.CLOSED) {
      return closedConcealed;
    }
    return receiver == null ? 0 : receiver.concealedPayloads();
  }

  /** The counters so far; after {@link #close} the last ones. */
  public synchronized MediaStats stats() {
    if (closedStats != null) {
      return closedStats;
    }
    if (sender == null) {
      return new MediaStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, allocatedNanos);
    }
    ReorderBuffer reorder = receiver.reorder();
    return new MediaStats(
        sender.sent(),
        sender.unsent(),
        pacing.late(),
        pacing.skipped(),
        receiver.received(),
        reorder.lost(),
        reorder.late(),
        reorder.duplicates(),
        receiver.droppedWrongSource(),
        receiver.droppedMalformed(),
        receiver.droppedPayloadType(),
        receiver.telephoneEvents(),
        receiver.digitsReceived(),
        receiver.missingSamples(),
        sender.digitsSent(),
        receiver.lastPacketNanos());
  }

  /**
   * The RTP and RTCP figures so far; after {@link #close} the final ones. {@link
   * RtpStatistics#NONE} before {@link #start}.
   */
  public synchronized RtpStatistics rtpStatistics() {
    if (closedStatistics != null) {
      return closedStatistics;
    }
    if (sender == null) {
      return RtpStatistics.NONE;
    }
    return new RtpStatistics(
        sender.sent(),
        sender.octetsSent(),
        receiver.received() + receiver.telephoneEvents(),
        receiver.octetsReceived(),
        receiver.statistics().report(),
        rtcp.outbound(),
        rtcp.farEndPackets(),
        rtcp.farEndOctets(),
        rtcp.roundTripMillis(),
        rtcp.sent(),
        rtcp.received(),
        rtcp.dropped(),
        srtpRefusals());
  }

  /**
   * Stops sending and receiving at once and frees the ports; never waits on the network: a last
   * RTCP report with a BYE (RFC 3550 §6.3.7) is handed to the socket first. Idempotent.
   *
   * <p>The figures at this moment are kept and the media graph is let go (sender, receiver and
   * their jitter buffer, codec state, RTCP, SRTP contexts, and the call's source and sink): the
   * signalling keeps an ended call for a while to absorb late messages, and whatever a closed
   * session still referenced would live as long, so the live heap would grow with the call rate. A
   * frame already under way when this runs is not counted.
   */
  @Override
  public void close() {
    WavRecorder toClose;
    String id;
    Codec started;
    boolean secured;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      if (sender != null) {
        sender.close();
        pacing.cancel();
        receiver.close();
        rtcp.close(true);
      }
      // Read while the graph is still here; from now on these answer for it.
      closedRefusals = srtpRefusals();
      closedStatistics = rtpStatistics();
      closedStats = stats();
      closedConcealed = receiver == null ? 0 : receiver.concealedPayloads();
      state = state.moveTo(State.CLOSED, "close");
      toClose = recorder;
      id = callId;
      started = startCodec;
      secured = protector != null;
      sender = null;
      receiver = null;
      rtcp = null;
      pacing = null;
      peer = null;
      protector = null;
      unprotector = null;
      sendKeys = null;
      receiveKeys = null;
    }
    try {
      channel.close();
      rtcpChannel.close();
    } catch (IOException e) {
      log.warn("Closing RTP port {} failed (Call-ID {})", localPort, id, e);
    }
    engine.released(this);
    if (toClose != null) {
      // Hands the recording's end to the engine's writer thread: no disk on this thread.
      toClose.close();
    }
    if (id != null) {
      log.info("RTP stopped for Call-ID {}: {}; {}", id, closedStats, closedStatistics);
      if (closedConcealed > 0) {
        log.info(
            "RTP of Call-ID {}: {} payload(s) were not one good 20 ms frame of {} and were"
                + " concealed",
            id,
            closedConcealed,
            started.encodingName());
      }
      if (secured || srtpAuthFailures + srtpReplays + srtpOutOfWindow > 0) {
        log.info(
            "SRTP of Call-ID {}: {} authentication failures, {} replays, {} behind the window",
            id,
            closedRefusals.authFailures(),
            closedRefusals.replays(),
            closedRefusals.outOfWindow());
      }
    }
  }

  synchronized boolean isClosed() {
    return state == State.CLOSED;
  }

  /** The recording's file, or null when none is made. */
  synchronized Path recordingPath() {
    return recorder == null ? null : recorder.path();
  }

  /**
   * Completes once the recording's file is complete after {@link #close} (its disk writes run on
   * the engine's recording thread); at once when none is made.
   */
  synchronized CompletableFuture<Void> recordingFinished() {
    return recorder == null ? CompletableFuture.completedFuture(null) : recorder.finished();
  }

  /**
   * Drops what reached the port before the call's media started (early media, a previous call's
   * stragglers): the sink should hear the call from its start.
   */
  private void discardEarlyDatagrams(DatagramChannel from) {
    ByteBuffer scratch = ByteBuffer.allocate(ReceiveLoop.MAX_DATAGRAM);
    try {
      while (from.receive(scratch) != null) {
        scratch.clear();
      }
    } catch (IOException e) {
      log.warn("Discarding early RTP on port {} failed (Call-ID {})", localPort, callId, e);
    }
  }

  /**
   * Received audio to the recording and the call's sink, recording first; gaps and digits to the
   * call's sink only.
   */
  private record TeeSink(AudioSink recording, AudioSink sink) implements AudioSink {
    @Override
    public void write(short[] pcm, int offset, int length) {
      recording.write(pcm, offset, length);
      sink.write(pcm, offset, length);
    }

    @Override
    public void missing(int samples) {
      sink.missing(samples);
    }

    @Override
    public void dtmf(DtmfEvent event) {
      sink.dtmf(event);
    }
  }
}

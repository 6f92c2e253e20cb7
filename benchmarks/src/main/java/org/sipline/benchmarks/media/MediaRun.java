package org.sipline.benchmarks.media;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.InterruptRequest;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.ProcStat;
import org.sipline.benchmarks.harness.SippPeer;
import org.sipline.benchmarks.harness.TsharkCapture;
import org.sipline.benchmarks.harness.UdpSinks;
import org.sipline.benchmarks.latency.BesideLoad;
import org.sipline.benchmarks.latency.ServerProcess;
import org.sipline.benchmarks.latency.SipClient;
import org.sipline.benchmarks.media.MediaOptions.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the live media measurements through the real stack: the server jar (jainsip backend)
 * registered with a SIPp registrar calls a SIPp callee that stands for the caller's SIP side; the
 * caller's RTP comes from the harness itself ({@link CallerRtp}) through the socket the callee's
 * SDP named, and the bot is a Java gRPC client on the server's {@code LineMedia} service. tshark on
 * {@code lo} captures both RTP directions for the whole run, and the gRPC connection's TCP where a
 * phase needs it.
 *
 * <pre>
 *   CallerRtp ─ RTP (+ RFC 4733) ─→ server jar ─ AudioIn ──→ Converse client (+ Listen clients)
 *   caller's socket ←── RTP ──────  server jar ←─ Audio, Mark, Clear, Interrupt ── Converse client
 *   SIPp callee ←─ SIP ─ server jar ─ SIP ─→ SIPp registrar       [load process beside: N calls]
 * </pre>
 *
 * <p>During the phases only times are recorded (send times, arrival times, window bounds); every
 * delay is computed once the captures are stopped ({@link MediaAnalysis}).
 */
final class MediaRun {
  private static final Logger log = LoggerFactory.getLogger(MediaRun.class);

  /** The RTP capture keeps this much of each packet: headers and a 20 ms PCMU payload. */
  private static final int RTP_SNAP = 256;

  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration QUIET = Duration.ofMillis(80);
  private static final long FRAME_MICROS = 20_000;
  private static final int WARMUP_ROUNDS = 5;

  /**
   * Let pass after a window before its capture is stopped: on a busy machine tshark writes what the
   * kernel captured with a delay, and what it has not written when stopped is lost.
   */
  private static final Duration CAPTURE_MARGIN = Duration.ofSeconds(2);

  /** µ-law of a 400 Hz square wave at ±8000: no sample of it is silence, not even faded. */
  private static final byte HIGH = org.sipline.core.audio.G711.linearToUlaw((short) 8000);

  private static final byte LOW = org.sipline.core.audio.G711.linearToUlaw((short) -8000);

  private MediaRun() {}

  static MediaResult run(MediaOptions o, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path portFile = dir.resolve("sipline-rtp-port.txt");
    MediaAnalysis.Recorded rec = new MediaAnalysis.Recorded();
    try (UdpSinks sinks = UdpSinks.bind(2);
        SippPeer registrar = SippPeer.registrar(dir);
        SippPeer caller =
            SippPeer.withScenario(dir, "caller", calleeScenario(sinks.port(0), portFile));
        BesideLoad beside =
            o.besideCalls() == 0
                ? null
                : BesideLoad.start(
                    dir.resolve("beside"), o.besideCalls(), sinks.port(1), registrar.port());
        ServerProcess server = ServerProcess.start(dir, o.serverJar(), o.serverJvm());
        StealSampler steal = new StealSampler();
        TsharkCapture rtp =
            TsharkCapture.filtered(dir, "rtp", "udp and port " + sinks.port(0), RTP_SNAP)) {
      rec.callerPort = sinks.port(0);
      rec.grpcPort = server.grpcPort();
      rec.loadBefore = ProcStat.loadAverage();
      rec.steal = steal;
      long besidePid = beside == null ? -1 : beside.pid();
      SipClient sip = new SipClient(server.channel());
      sip.registerAndStartSession("bench@127.0.0.1:" + registrar.port());
      sip.startCall("sip:callee@127.0.0.1:" + caller.port());
      sip.awaitStatus(StatusType.OUTGOING_CALL_CONNECTED);
      Await.until(EVENT_TIMEOUT, "the callee writing sipline's RTP port", () -> isReady(portFile));
      String[] offer = Files.readString(portFile).trim().split("\\s+");
      int siplineRtpPort = Integer.parseInt(offer[0]);
      int eventPt = Integer.parseInt(offer[1]);
      log.info("call up: sipline RTP port {}, telephone-event {}", siplineRtpPort, eventPt);

      ManagedChannel channel = plainChannel(server.grpcPort());
      ConverseClient converse =
          ConverseClient.open(channel, AudioEncoding.MULAW, false, OPEN_TIMEOUT);
      rec.converse = converse;
      rec.converseLocalPort = converse.localPort();
      if (rec.converseLocalPort < 0) {
        throw new IllegalStateException("the Converse stream's local TCP port is not known");
      }
      // The Converse's connection both ways, whole segments (it carries little): requests'
      // arrivals, events' departures, bytes per frame.
      try (TsharkCapture grpc =
              TsharkCapture.filtered(dir, "grpc", "tcp and port " + rec.converseLocalPort, 65535);
          CallerRtp callerRtp =
              new CallerRtp(
                  sinks.channels().get(0),
                  new InetSocketAddress("127.0.0.1", siplineRtpPort),
                  eventPt,
                  4733)) {
        callerRtp.start();
        converse.record().awaitAudio(1, EVENT_TIMEOUT, "the first AudioIn");
        rec.anchorPosition = converse.record().positions(0, 1)[0];
        rec.anchorTimestamp = callerRtp.firstAudioTimestamp();
        Phases phases = new Phases(o, dir, server, besidePid, converse, channel, rec, sip);
        if (o.phases().contains(Phase.INBOUND)) {
          phases.inbound();
        }
        if (o.phases().contains(Phase.BIDIRECTIONAL)) {
          phases.bidirectional();
        }
        if (o.phases().contains(Phase.LISTEN)) {
          phases.listen();
        }
        converse.echo(false);
        converse.clear("");
        Await.elapse(Duration.ofMillis(200));
        if (o.phases().contains(Phase.SPEAK) || o.phases().contains(Phase.CLEAR)) {
          phases.speakAndClear();
        }
        if (o.phases().contains(Phase.DTMF)) {
          phases.dtmf(callerRtp);
        }
        if (o.phases().contains(Phase.STALL)) {
          phases.stall();
        }
        rec.digits = callerRtp.digitsSent();
        rec.callerAudioPackets = callerRtp.audioPackets();
        Await.elapse(CAPTURE_MARGIN);
        rec.grpcDropped = grpc.stopCapturing();
        rec.grpc = MediaWire.readTcp(grpc, server.grpcPort(), true);
      }
      sip.hardHangupAndAwaitReady();
      channel.shutdownNow();
      rec.loadAfter = ProcStat.loadAverage();
      if (beside != null) {
        beside.stop();
      }
      Await.elapse(CAPTURE_MARGIN);
      rec.rtpDropped = rtp.stopCapturing();
      log.info("analysing the captures");
      return MediaAnalysis.analyse(o, rec, rtp);
    }
  }

  /** What each phase does; fields are the run's shared pieces. */
  private static final class Phases {
    private final MediaOptions o;
    private final Path dir;
    private final ServerProcess server;
    private final long besidePid;
    private final ConverseClient converse;
    private final ManagedChannel channel;
    private final MediaAnalysis.Recorded rec;
    private final SipClient sip;

    Phases(
        MediaOptions o,
        Path dir,
        ServerProcess server,
        long besidePid,
        ConverseClient converse,
        ManagedChannel channel,
        MediaAnalysis.Recorded rec,
        SipClient sip) {
      this.o = o;
      this.dir = dir;
      this.server = server;
      this.besidePid = besidePid;
      this.converse = converse;
      this.channel = channel;
      this.rec = rec;
      this.sip = sip;
    }

    private Window window(String name, int seconds) throws IOException, InterruptedException {
      Await.elapse(Duration.ofSeconds(o.warmupSeconds()));
      Window.Open w = Window.open(name, server.pid(), besidePid);
      Await.elapse(Duration.ofSeconds(seconds));
      Window done = w.close();
      rec.windows.add(done);
      return done;
    }

    /** One Converse, caller audio only. */
    void inbound() throws Exception {
      log.info("inbound: 1 Converse stream, {} s", o.seconds());
      rec.inbound = window("inbound", o.seconds());
    }

    /** The Converse echoes every caller frame back: one bidirectional stream. */
    void bidirectional() throws Exception {
      log.info("bidirectional: the Converse echoes, {} s", o.seconds());
      converse.echo(true);
      rec.bidirectional = window("bidirectional", o.seconds());
    }

    /** The listeners beside the echoing Converse. */
    void listen() throws Exception {
      log.info("listen: {} Listen streams beside the echoing Converse", o.listeners());
      converse.echo(true);
      List<ManagedChannel> channels = new ArrayList<>();
      for (int i = 0; i < o.listenChannels(); i++) {
        channels.add(plainChannel(server.grpcPort()));
      }
      List<ListenClient> listeners = new ArrayList<>();
      try {
        for (int i = 0; i < o.listeners(); i++) {
          listeners.add(ListenClient.start(channels.get(i % channels.size())));
        }
        for (ListenClient l : listeners) {
          l.record().awaitAudio(1, OPEN_TIMEOUT, "a listener's first AudioIn");
        }
        rec.listen = window("listen", o.seconds());
        rec.listeners = listeners;
        rec.listenersFailed =
            (int) listeners.stream().filter(l -> l.record().failure() != null).count();
      } finally {
        for (ListenClient l : listeners) {
          l.cancel();
        }
        for (ManagedChannel c : channels) {
          c.shutdown();
        }
        for (ManagedChannel c : channels) {
          c.awaitTermination(10, TimeUnit.SECONDS);
        }
      }
    }

    /** Utterances with a mark each, then clears and interrupts of utterances playing. */
    void speakAndClear() throws Exception {
      Window.Open w = Window.open("speak_clear", server.pid(), besidePid);
      if (o.phases().contains(Phase.SPEAK)) {
        speak();
      }
      if (o.phases().contains(Phase.CLEAR)) {
        clear();
      }
      rec.speakClear = w.close();
      rec.windows.add(rec.speakClear);
    }

    private void speak() throws Exception {
      log.info("speak: {} utterances with a mark each", o.speakRounds());
      SplittableRandom random = new SplittableRandom(1711);
      for (int i = -WARMUP_ROUNDS; i < o.speakRounds(); i++) {
        Await.elapse(QUIET.plusNanos(random.nextLong(FRAME_MICROS) * 1000));
        String id = "u" + i;
        // 100–500 ms, any length: the mark falls anywhere in a packet.
        int samples = random.nextInt(800, 4001);
        byte[] audio = squareWave(samples);
        long first = -1;
        int at = 0;
        while (at < samples) {
          int n = Math.min(samples - at, random.nextInt(80, 1601));
          byte[] chunk = java.util.Arrays.copyOfRange(audio, at, at + n);
          at += n;
          long t = converse.audio(id, chunk, at == samples);
          if (first < 0) {
            first = t;
          }
        }
        String markId = "m" + i;
        int seen = converse.record().controlCount();
        converse.mark(markId);
        StreamRecord.Timed resolved =
            converse
                .record()
                .await(
                    seen,
                    e -> e.hasMark() && e.getMark().getId().equals(markId),
                    EVENT_TIMEOUT,
                    "MarkResolved " + markId);
        MarkResolved m = resolved.event().getMark();
        if (i >= 0) {
          rec.speakSent.add(first);
          rec.speakSamples.add(samples);
          rec.marks.add(
              new MediaAnalysis.MarkSeen(m.getOutcome(), m.getPosition(), resolved.nanos()));
        }
      }
      Await.elapse(QUIET);
    }

    private void clear() throws Exception {
      log.info("clear: {} Clear and {} Interrupt requests", o.clearRounds(), o.clearRounds());
      SplittableRandom random = new SplittableRandom(3551);
      LineMediaGrpc.LineMediaBlockingStub interrupts = LineMediaGrpc.newBlockingStub(channel);
      byte[] audio = squareWave(16_000); // 2 s
      warmUpInterrupts(interrupts);
      for (int i = -2 * WARMUP_ROUNDS; i < 2 * o.clearRounds(); i++) {
        boolean interrupt = (i & 1) != 0;
        String id = "c" + i;
        int seen = converse.record().controlCount();
        converse.audio(id, audio, true);
        Await.elapse(Duration.ofMillis(200).plusNanos(random.nextLong(FRAME_MICROS) * 1000));
        long sent;
        if (interrupt) {
          sent = WallClock.nanos();
          var unused =
              interrupts
                  .withDeadlineAfter(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .interrupt(InterruptRequest.newBuilder().setThroughUtterance(id).build());
        } else {
          sent = converse.clear(id);
        }
        converse
            .record()
            .await(
                seen,
                e -> e.hasCleared() && e.getCleared().getThroughUtterance().equals(id),
                EVENT_TIMEOUT,
                "Cleared " + id);
        if (i >= 0) {
          (interrupt ? rec.interruptSent : rec.clearSent).add(sent);
        }
        Await.elapse(QUIET.plusNanos(random.nextLong(FRAME_MICROS) * 1000));
      }
    }

    /**
     * Interrupts through an utterance that does not exist: each is refused (INVALID_ARGUMENT) and
     * clears nothing, but runs the server's whole unary-rpc path, so that the timed ones after it
     * meet that path compiled, as on a server that has served many rpcs.
     */
    private void warmUpInterrupts(LineMediaGrpc.LineMediaBlockingStub interrupts) {
      if (o.interruptWarmup() == 0) {
        return;
      }
      log.info("clear: {} refused Interrupts first", o.interruptWarmup());
      InterruptRequest unknown =
          InterruptRequest.newBuilder().setThroughUtterance("no-such-utterance").build();
      int refused = 0;
      for (int i = 0; i < o.interruptWarmup(); i++) {
        try {
          var unused =
              interrupts
                  .withDeadlineAfter(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .interrupt(unknown);
        } catch (io.grpc.StatusRuntimeException e) {
          if (e.getStatus().getCode() != io.grpc.Status.Code.INVALID_ARGUMENT) {
            throw e;
          }
          refused++;
        }
      }
      if (refused != o.interruptWarmup()) {
        throw new IllegalStateException(
            "an Interrupt through an unknown utterance was not refused: "
                + (o.interruptWarmup() - refused)
                + " of "
                + o.interruptWarmup()
                + " answered");
      }
    }

    /** Digits from the caller, each in place of its audio, with audio between them. */
    void dtmf(CallerRtp callerRtp) throws Exception {
      log.info("dtmf: {} digits from the caller", o.digits());
      SplittableRandom random = new SplittableRandom(4733);
      String digits = "0123456789*#";
      Window.Open w = Window.open("dtmf", server.pid(), besidePid);
      rec.dtmfControlFrom = converse.record().controlCount();
      for (int i = 0; i < o.digits(); i++) {
        char digit = digits.charAt(random.nextInt(digits.length()));
        int millis = random.nextInt(40, 301);
        int seen = converse.record().controlCount();
        callerRtp.dtmf(digit, millis * 8);
        converse
            .record()
            .await(
                seen,
                e ->
                    e.hasDtmf()
                        && e.getDtmf().getPhase() == org.sipline.api.media.v1.Dtmf.Phase.END,
                EVENT_TIMEOUT,
                "Dtmf END of digit " + i);
        Await.elapse(Duration.ofMillis(100 + random.nextInt(101)));
      }
      rec.dtmf = w.close();
      rec.windows.add(rec.dtmf);
    }

    /**
     * A new Converse (the first one closed) that reads for a window, then stops reading for as
     * long, then reads again; the server's heap before, at the end of the stall and after.
     */
    void stall() throws Exception {
      log.info("stall: reading {} s, stalled {} s", o.stallSeconds(), o.stallSeconds());
      converse.close();
      converse
          .record()
          .await(0, e -> e.hasStatistics(), EVENT_TIMEOUT, "the first Converse's statistics");
      ManagedChannel stallChannel =
          NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
              .usePlaintext()
              .directExecutor()
              .flowControlWindow(o.stallWindowBytes())
              .build();
      try {
        ConverseClient stalled =
            ConverseClient.open(stallChannel, AudioEncoding.LINEAR16, true, OPEN_TIMEOUT);
        rec.stalled = stalled;
        stalled.record().awaitAudio(1, EVENT_TIMEOUT, "the stalled client's first AudioIn");
        rec.heapBefore = ServerHeap.live(server.pid(), dir.resolve("heap-before-stall.txt"));
        rec.rssBefore = ServerHeap.rss(server.pid());
        rec.stallReading = window("stall_reading", o.stallSeconds());
        rec.stallAudioAtStall = stalled.record().audioCount();
        stalled.stall();
        Window.Open w = Window.open("stall_stalled", server.pid(), besidePid);
        Await.elapse(Duration.ofSeconds(o.stallSeconds()));
        rec.stallStalled = w.close();
        rec.windows.add(rec.stallStalled);
        rec.stallAudioDuringStall = stalled.record().audioCount() - rec.stallAudioAtStall;
        rec.heapStalled = ServerHeap.live(server.pid(), dir.resolve("heap-end-of-stall.txt"));
        rec.rssStalled = ServerHeap.rss(server.pid());
        rec.stallResumedAt = WallClock.nanos();
        int before = stalled.record().audioCount();
        stalled.resume();
        Await.elapse(Duration.ofSeconds(5));
        rec.stallAudioAfterResume = stalled.record().audioCount() - before;
        rec.stallStatus = sip.status().getStatusType().name();
        rec.heapAfter = ServerHeap.live(server.pid(), dir.resolve("heap-after-stall.txt"));
        rec.rssAfter = ServerHeap.rss(server.pid());
        rec.stallFailure = stalled.record().failure();
        stalled.close();
      } finally {
        stallChannel.shutdownNow();
      }
    }
  }

  /** µ-law of a 400 Hz square wave, {@code samples} long. */
  static byte[] squareWave(int samples) {
    byte[] b = new byte[samples];
    for (int i = 0; i < samples; i++) {
      b[i] = (i / 10) % 2 == 0 ? HIGH : LOW;
    }
    return b;
  }

  /** A plaintext channel to the server whose callbacks run on its event loop (no hand-off). */
  static ManagedChannel plainChannel(int port) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .directExecutor()
        .build();
  }

  private static boolean isReady(Path file) {
    try {
      return Files.exists(file) && Files.readString(file).trim().split("\\s+").length == 2;
    } catch (IOException e) {
      return false;
    }
  }

  private static String calleeScenario(int rtpPort, Path portFile) {
    try (InputStream in = MediaRun.class.getResourceAsStream("callee-media.xml")) {
      if (in == null) {
        throw new IllegalStateException("scenario resource missing from the jar: callee-media.xml");
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
          .replace("@RTP_PORT@", Integer.toString(rtpPort))
          .replace("@PORT_FILE@", portFile.toAbsolutePath().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("reading scenario callee-media.xml", e);
    }
  }
}

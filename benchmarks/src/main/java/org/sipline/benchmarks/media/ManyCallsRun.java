package org.sipline.benchmarks.media;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.StreamStatistics;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.CapturedPacket;
import org.sipline.benchmarks.harness.ProcStat;
import org.sipline.benchmarks.harness.SippPeer;
import org.sipline.benchmarks.harness.TsharkCapture;
import org.sipline.benchmarks.harness.TsharkFields;
import org.sipline.benchmarks.harness.UdpSinks;
import org.sipline.benchmarks.latency.ServerProcess;
import org.sipline.benchmarks.latency.SipClient;
import org.sipline.benchmarks.pacing.PacingStats;
import org.sipline.benchmarks.pacing.StreamAnalysis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many bidirectional streams on one server: the server jar serves {@code --lines N}, each line
 * registers with the SIPp registrar and calls the SIPp callee, and each call gets a Converse that
 * echoes every caller frame back as bot audio, so every call carries audio both ways through gRPC.
 * The callers' RTP comes from the harness ({@link ManyCallerRtp}); tshark on {@code lo} captures
 * sipline's RTP to the callers' socket, headers only, for the pacing of every stream.
 *
 * <pre>
 *   ManyCallerRtp ─ RTP × N ─→ server jar (N lines) ─ AudioIn × N ─→ N Converse clients
 *   callers' socket ←─ RTP × N ── server jar ←─ Audio × N (the echo) ── N Converse clients
 * </pre>
 *
 * <p>Reported: the server's CPU over the window (share of all cores), the pacing of its RTP over
 * every stream (as {@link StreamAnalysis} pools it), the load and steal, and from each Converse's
 * final statistics how much bot audio was played and how many caller frames it had to drop.
 */
final class ManyCallsRun {
  private static final Logger log = LoggerFactory.getLogger(ManyCallsRun.class);

  private static final Metadata.Key<String> LINE_HEADER =
      Metadata.Key.of("x-sipline-line", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SETUP_PER_CALL = Duration.ofMillis(500);
  private static final Duration CAPTURE_MARGIN = Duration.ofSeconds(2);

  /** gRPC connections the calls' rpcs are spread over, as a bot fleet would share a few. */
  private static final int CHANNELS = 8;

  /** Calls set up at once: each waits on its line's state changes, none uses CPU meanwhile. */
  private static final int SETUP_THREADS = 8;

  private ManyCallsRun() {}

  static MediaResult run(MediaOptions o, Path dir) throws Exception {
    Files.createDirectories(dir);
    int n = o.calls();
    Path portFile = dir.resolve("sipline-rtp-ports.txt");
    Files.deleteIfExists(portFile);
    List<ManagedChannel> channels = new ArrayList<>();
    try (UdpSinks sinks = UdpSinks.bind(1);
        SippPeer registrar = SippPeer.registrar(dir);
        SippPeer callee =
            SippPeer.withScenario(dir, "callee", calleeScenario(sinks.port(0), portFile));
        ServerProcess server =
            ServerProcess.start(
                dir, o.serverJar(), o.serverJvm(), List.of("--lines", Integer.toString(n)));
        StealSampler steal = new StealSampler()) {
      int sink = sinks.port(0);
      double loadBefore = ProcStat.loadAverage();
      for (int i = 0; i < CHANNELS; i++) {
        channels.add(MediaRun.plainChannel(server.grpcPort()));
      }
      log.info("many: setting up {} calls, one per line", n);
      connect(n, channels, registrar.port(), callee.port());
      List<InetSocketAddress> targets = awaitPorts(portFile, n);
      List<ConverseClient> converses = new ArrayList<>();
      boolean echo = o.manyAudio() == MediaOptions.ManyAudio.ECHO;
      try (ManyCallerRtp callers = new ManyCallerRtp(sinks.channels().get(0), targets);
          PlayLoops plays = new PlayLoops()) {
        callers.start();
        if (echo) {
          for (int i = 0; i < n; i++) {
            ConverseClient c =
                ConverseClient.open(
                    line(channels.get(i % CHANNELS), i), AudioEncoding.MULAW, false, OPEN_TIMEOUT);
            c.echo(true);
            converses.add(c);
          }
          for (ConverseClient c : converses) {
            c.record().awaitAudio(1, OPEN_TIMEOUT, "a Converse's first AudioIn");
          }
          log.info("many: {} calls echoing; window of {} s", n, o.seconds());
        } else {
          for (int i = 0; i < n; i++) {
            plays.start(line(channels.get(i % CHANNELS), i));
          }
          log.info("many: {} calls playing a WAV; window of {} s", n, o.seconds());
        }
        Await.elapse(Duration.ofSeconds(o.warmupSeconds()));
        // Started only now: 500 streams fill a capture at 25,000 packets a second, and the
        // set-up's minutes would cost more to read back than the window.
        try (TsharkCapture rtp =
            TsharkCapture.filtered(
                dir, "rtp", "udp and dst port " + sink, TsharkCapture.HEADERS_ONLY)) {
          int[] audioBefore = audioCounts(converses);
          long playedBefore = plays.played();
          Window.Open w = Window.open("many", server.pid(), -1);
          Await.elapse(Duration.ofSeconds(o.seconds()));
          Window window = w.close();
          int[] audioAfter = audioCounts(converses);
          long playedInWindow = plays.played() - playedBefore;
          plays.stop();
          Await.elapse(CAPTURE_MARGIN);
          long dropped = rtp.stopCapturing();
          for (ConverseClient c : converses) {
            c.echo(false);
            c.close();
          }
          List<StreamStatistics> statistics = new ArrayList<>();
          int failed = 0;
          for (ConverseClient c : converses) {
            try {
              statistics.add(
                  c.record()
                      .await(0, e -> e.hasStatistics(), OPEN_TIMEOUT, "a Converse's statistics")
                      .event()
                      .getStatistics());
            } catch (java.util.concurrent.TimeoutException e) {
              failed++;
            }
          }
          MediaResult r = new MediaResult();
          r.value("calls", n);
          r.text(
              "load_run",
              String.format(Locale.ROOT, "%.2f → %.2f", loadBefore, ProcStat.loadAverage()));
          window.describe(r);
          r.value("many_steal_max_100ms_ms", steal.maxSlot(window.from(), window.to()) / 1_000_000);
          r.value(
              "many_steal_100ms_slots_over_20ms",
              steal.slotsOver(window.from(), window.to(), 20_000_000));
          r.value("capture_dropped", dropped);
          r.value("caller_packets_sent", callers.packets());
          r.value("caller_send_failures", callers.sendFailures());
          pacing(r, window, read(rtp, sink), sink);
          if (echo) {
            audioIn(r, audioBefore, audioAfter, window);
            statistics(r, statistics, failed);
          } else {
            r.value("plays_started", plays.started());
            r.value("plays_finished_in_window", playedInWindow);
            r.value("plays_failed", plays.failed());
            if (plays.failed() > 0) {
              log.warn("many: a SipPlayWavFiles failed", plays.firstFailure());
            }
          }
          return r;
        }
      }
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
    }
  }

  /** Registers every line and calls the callee from it; returns once every call is connected. */
  private static void connect(
      int n, List<ManagedChannel> channels, int registrarPort, int calleePort) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int line = i;
        calls.add(
            pool.submit(
                () -> {
                  SipClient sip = new SipClient(line(channels.get(line % CHANNELS), line));
                  sip.registerAndStartSession("bench" + line + "@127.0.0.1:" + registrarPort);
                  sip.startCall("sip:callee@127.0.0.1:" + calleePort);
                  sip.awaitStatus(StatusType.OUTGOING_CALL_CONNECTED);
                  return null;
                }));
      }
      for (Future<?> f : calls) {
        f.get(SETUP_PER_CALL.toMillis() * n + 60_000, TimeUnit.MILLISECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The rpcs of line {@code i} (named line-i by {@code --lines}) on a shared connection. */
  private static Channel line(ManagedChannel channel, int i) {
    Metadata headers = new Metadata();
    headers.put(LINE_HEADER, "line-" + i);
    return ClientInterceptors.intercept(
        channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** sipline's RTP port of every call, as the callee appended them. */
  private static List<InetSocketAddress> awaitPorts(Path file, int n) throws Exception {
    Await.until(Duration.ofSeconds(30), n + " RTP ports in " + file, () -> lines(file).size() >= n);
    List<InetSocketAddress> targets = new ArrayList<>();
    for (String line : lines(file)) {
      targets.add(new InetSocketAddress("127.0.0.1", Integer.parseInt(line.split("\\s+")[0])));
    }
    if (targets.stream().distinct().count() != n) {
      throw new IllegalStateException(
          "expected " + n + " distinct RTP ports of sipline in " + file + ", got " + targets);
    }
    return targets;
  }

  private static List<String> lines(Path file) {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      // A line being appended has no newline yet: only whole ones count.
      String s = Files.readString(file);
      int end = s.lastIndexOf('\n');
      return end < 0 ? List.of() : s.substring(0, end).lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int[] audioCounts(List<ConverseClient> converses) {
    return converses.stream().mapToInt(c -> c.record().audioCount()).toArray();
  }

  /** sipline's packets to the callers' socket, RTP headers only. */
  private static List<CapturedPacket> read(TsharkCapture rtp, int sink) throws IOException {
    List<CapturedPacket> packets = new ArrayList<>();
    for (String[] row :
        rtp.fields(
            List.of("udp.port==" + sink + ",rtp"),
            List.of(
                "frame.time_epoch",
                "udp.srcport",
                "udp.dstport",
                "rtp.ssrc",
                "rtp.seq",
                "rtp.timestamp"))) {
      CapturedPacket p = TsharkFields.parse(row);
      if (p != null) {
        packets.add(p);
      }
    }
    return packets;
  }

  private static void pacing(MediaResult r, Window w, List<CapturedPacket> out, int sink) {
    PacingStats s = StreamAnalysis.analyse(out, w.from(), w.to(), port -> port == sink);
    r.value("many_pacing_streams", s.streams());
    r.value("many_pacing_packets", s.packets());
    r.value("many_pacing_p50_ms", s.p50() / 1e6);
    r.value("many_pacing_p99_ms", s.p99() / 1e6);
    r.value("many_pacing_p999_ms", s.p999() / 1e6);
    r.value("many_pacing_max_ms", s.max() / 1e6);
    r.value("many_pacing_lost", s.lostFrames());
    r.value("many_pacing_missed_by_capture", s.missedByCapture());
    r.value("many_pacing_late", s.late());
  }

  /** AudioIn events each Converse took in the window: every call's caller audio reached its bot. */
  private static void audioIn(MediaResult r, int[] before, int[] after, Window w) {
    int[] got = new int[before.length];
    for (int i = 0; i < got.length; i++) {
      got[i] = after[i] - before[i];
    }
    Arrays.sort(got);
    double expected = (w.to() - w.from()) / 20e6;
    r.value("many_audio_in_expected_per_stream", expected);
    r.value("many_audio_in_min_per_stream", got[0]);
    r.value("many_audio_in_median_per_stream", got[got.length / 2]);
  }

  /** From every Converse's final statistics: the bot audio played, caller frames dropped. */
  private static void statistics(MediaResult r, List<StreamStatistics> all, int missing) {
    r.value("statistics_missing", missing);
    long[] played = all.stream().mapToLong(StreamStatistics::getPlayedSamples).sorted().toArray();
    r.value("played_seconds_min_per_stream", played.length == 0 ? 0 : played[0] / 8000.0);
    r.value(
        "played_seconds_median_per_stream",
        played.length == 0 ? 0 : played[played.length / 2] / 8000.0);
    r.value(
        "frames_dropped_total", all.stream().mapToLong(StreamStatistics::getFramesDropped).sum());
    r.value("underruns_total", all.stream().mapToLong(StreamStatistics::getUnderruns).sum());
    r.value(
        "max_lag_ms_max", all.stream().mapToLong(StreamStatistics::getMaxLagMs).max().orElse(0));
  }

  private static String calleeScenario(int rtpPort, Path portFile) {
    try (InputStream in = ManyCallsRun.class.getResourceAsStream("callee-many.xml")) {
      if (in == null) {
        throw new IllegalStateException("scenario resource missing from the jar: callee-many.xml");
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
          .replace("@RTP_PORT@", Integer.toString(rtpPort))
          .replace("@PORT_FILE@", portFile.toAbsolutePath().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("reading scenario callee-many.xml", e);
    }
  }
}

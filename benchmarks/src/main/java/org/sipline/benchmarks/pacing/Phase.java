package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.BaresipPeer;
import org.sipline.benchmarks.harness.Capture;
import org.sipline.benchmarks.harness.ProcStat;
import org.sipline.benchmarks.harness.SippPeer;
import org.sipline.benchmarks.harness.SocketCapture;
import org.sipline.benchmarks.harness.ThreadSched;
import org.sipline.benchmarks.harness.TsharkCapture;
import org.sipline.benchmarks.harness.UdpSinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement: N sipline calls in the load process and one baresip call, each streaming the
 * same WAV to a sink on loopback, captured together over one window.
 *
 * <p>With {@code --stack line} every call is a real SIP call of a core line on the jainsip backend;
 * with {@code --stack media} the load process drives the backend's media engine alone (no SIPp for
 * it then).
 *
 * <p>With {@code --flood R} the phase has a second window of the same length, right after the idle
 * one, during which SIPp sends the load's SIP port R out-of-dialog INVITEs a second from a stranger
 * ({@link InviteFlood}); both windows come from the same calls and the same capture.
 *
 * <pre>
 *   SIPp registrar ← REGISTER ─┐
 *   SIPp callee A  ← INVITE ───┤ load JVM (N lines, one jainsip backend) ── RTP ─→ sink A ┐
 *   SIPp callee B  ← INVITE ── baresip (aufile: the WAV) ─────────────────── RTP ─→ sink B ┤
 *                                                               tshark -i lo (both sinks) ┘
 * </pre>
 */
final class Phase {
  private static final Logger log = LoggerFactory.getLogger(Phase.class);
  private static final Duration SETUP_BASE = Duration.ofSeconds(60);
  private static final Duration SETUP_PER_CALL = Duration.ofMillis(200);

  /**
   * The thread that sends every call's RTP, whose scheduling the window records: the jainsip media
   * engine's pacer, or pjmedia's clock thread (pjsua's conference bridge ticks on it, and each
   * call's stream encodes and sends its packet in that tick).
   */
  private static String pacerThread(String backend) {
    return backend.equals("pjsip") ? "clock" : "sipline-rtp-pacer";
  }

  private Phase() {}

  /**
   * Measures one phase: one window, or with {@code --flood} an idle window and then one of the same
   * length under the flood; one result per window.
   */
  static List<PhaseResult> run(
      PacingOptions options,
      int run,
      int calls,
      Path dir,
      Path wav,
      String metrics,
      MediaVariant media)
      throws IOException, InterruptedException, TimeoutException {
    Files.createDirectories(dir);
    boolean viaSip = options.stack().equals("line");
    int sipPort = viaSip && calls > 0 ? SippPeer.freeUdpPort() : 0;
    try (UdpSinks sinks = UdpSinks.bind(2);
        SippPeer registrar = calls > 0 && viaSip ? SippPeer.registrar(dir) : null;
        SippPeer siplineCallee =
            calls > 0 && viaSip
                ? SippPeer.callee(dir, "callee-sipline", sinks.port(0), media.calleeMedia())
                : null;
        SippPeer baresipCallee =
            options.baresip() ? SippPeer.callee(dir, "callee-baresip", sinks.port(1)) : null;
        LoadProcess load =
            calls > 0
                ? LoadProcess.start(
                    dir,
                    options,
                    calls,
                    sinks.port(0),
                    viaSip ? registrar.port() : 0,
                    viaSip ? siplineCallee.port() : 0,
                    sipPort,
                    wav,
                    metrics,
                    media)
                : null) {
      long pacerTid = -1;
      String pacerPolicy = "";
      if (load != null) {
        log.info("run {}: setting up {} calls", run, calls);
        load.awaitReady(SETUP_BASE.plus(SETUP_PER_CALL.multipliedBy(calls)));
        String pacerName = viaSip ? pacerThread(options.backend()) : pacerThread("jainsip");
        pacerTid = ThreadSched.find(load.pid(), pacerName);
        if (pacerTid < 0) {
          throw new IllegalStateException(
              "no thread named " + pacerName + " in the load" + " process " + load.pid());
        }
        pacerPolicy = PacerPolicy.read(load.pid(), pacerTid);
        log.info(
            "pacer thread {} runs {} (media.realtime {})",
            pacerTid,
            pacerPolicy,
            options.realtime());
      }
      try (BaresipPeer baresip =
              options.baresip()
                  ? BaresipPeer.call(dir, "sip:sink@127.0.0.1:" + baresipCallee.port(), wav)
                  : null;
          Capture capture = startCapture(options, dir, sinks)) {
        log.info(
            "run {}, {} calls: warming up {} s, then measuring {} s{}",
            run,
            calls,
            options.warmup().toSeconds(),
            options.window().toSeconds(),
            options.floodRate() > 0
                ? " idle and "
                    + options.window().toSeconds()
                    + " s under "
                    + options.floodRate()
                    + " INVITE/s"
                : "");
        Await.elapse(options.warmup());
        List<Window> windows = new ArrayList<>();
        windows.add(
            Window.measure(
                PacingOptions.condition(PhaseResult.IDLE, metrics, mediaLabel(options, media)),
                options,
                load,
                baresip,
                pacerTid));
        if (options.floodRate() > 0) {
          try (InviteFlood flood =
              InviteFlood.start(dir, sipPort, options.floodRate(), options.window())) {
            log.info(
                "run {}, {} calls: SIPp (pid {}) floods SIP port {} with {} INVITE/s",
                run,
                calls,
                flood.pid(),
                sipPort,
                options.floodRate());
            windows.add(
                Window.measure(
                    PacingOptions.condition(
                        "flood " + options.floodRate() + "/s", metrics, mediaLabel(options, media)),
                    options,
                    load,
                    baresip,
                    pacerTid));
          }
        }
        if (baresip != null && !baresip.isAlive()) {
          throw new IllegalStateException(
              "baresip ended during the window: is the WAV long"
                  + " enough for warm-up plus window?");
        }
        LoadResult loadResult = load == null ? null : load.stop();
        Capture.Result captured = capture.stop();
        List<PhaseResult> results = new ArrayList<>();
        for (Window w : windows) {
          long fromNanos = epochNanos(w.from);
          long toNanos = epochNanos(w.to);
          PacingStats siplineStats =
              load == null
                  ? null
                  : StreamAnalysis.analyse(
                      captured.packets(),
                      fromNanos,
                      toNanos,
                      port -> port == sinks.port(0),
                      media.rtpClockRate());
          WireFormat wire =
              load == null
                  ? null
                  : WireFormat.of(
                      captured.packets(), fromNanos, toNanos, port -> port == sinks.port(0));
          String mismatch = wire == null ? null : wire.mismatch(media);
          if (mismatch != null) {
            throw new IllegalStateException(w.condition + ": " + mismatch);
          }
          PacingStats baresipStats =
              baresip == null
                  ? null
                  : StreamAnalysis.analyse(
                      captured.packets(), fromNanos, toNanos, port -> port == sinks.port(1));
          GcPauses gcWindow = load == null ? null : GcPauses.read(load.jfrFile(), w.from, w.to);
          GcPauses gcRun =
              load == null ? null : GcPauses.read(load.jfrFile(), Instant.EPOCH, Instant.now());
          results.add(
              new PhaseResult(
                  run,
                  calls,
                  w.condition,
                  pacerPolicy,
                  captured.method(),
                  captured.droppedByCapture(),
                  w.loadBefore,
                  w.loadAfter,
                  w.wallNanos,
                  siplineStats,
                  baresipStats,
                  w.loadCpuShare,
                  w.baresipCpuShare,
                  loadResult,
                  gcWindow,
                  gcRun,
                  w.pacer,
                  w.stealNanos,
                  wire == null ? "" : wire.describe()));
        }
        return results;
      }
    }
  }

  /** What the machine and the processes did in one measurement window. */
  private record Window(
      String condition,
      Instant from,
      Instant to,
      long wallNanos,
      double loadBefore,
      double loadAfter,
      double loadCpuShare,
      double baresipCpuShare,
      ThreadSched.Counters pacer,
      long stealNanos) {

    /** Waits out one window of {@code options}, counting around it. */
    static Window measure(
        String condition,
        PacingOptions options,
        LoadProcess load,
        BaresipPeer baresip,
        long pacerTid)
        throws IOException, InterruptedException {
      int cores = Runtime.getRuntime().availableProcessors();
      double loadBefore = ProcStat.loadAverage();
      Instant from = Instant.now();
      long wall0 = System.nanoTime();
      long loadCpu0 = load == null ? 0 : ProcStat.cpuNanos(load.pid());
      long bareCpu0 = baresip == null ? 0 : ProcStat.cpuNanos(baresip.pid());
      ThreadSched.Counters pacer0 =
          load == null ? null : ThreadSched.counters(load.pid(), pacerTid);
      long steal0 = ProcStat.stealNanos();
      Await.elapse(options.window());
      long steal = ProcStat.stealNanos() - steal0;
      ThreadSched.Counters pacer =
          load == null ? null : ThreadSched.counters(load.pid(), pacerTid).minus(pacer0);
      long loadCpu1 = load == null ? 0 : ProcStat.cpuNanos(load.pid());
      long bareCpu1 = baresip == null ? 0 : ProcStat.cpuNanos(baresip.pid());
      long wall = System.nanoTime() - wall0;
      Instant to = Instant.now();
      return new Window(
          condition,
          from,
          to,
          wall,
          loadBefore,
          ProcStat.loadAverage(),
          (double) (loadCpu1 - loadCpu0) / wall / cores,
          (double) (bareCpu1 - bareCpu0) / wall / cores,
          pacer,
          steal);
    }
  }

  private static Capture startCapture(PacingOptions options, Path dir, UdpSinks sinks)
      throws IOException, InterruptedException, TimeoutException {
    String reason =
        options.capture().equals("socket")
            ? "socket capture chosen"
            : TsharkCapture.unavailableReason();
    if (reason == null) {
      return TsharkCapture.start(dir, sinks.ports());
    }
    if (options.capture().equals("tshark")) {
      throw new IllegalStateException("--capture tshark, but " + reason);
    }
    log.warn("Timing packets where the sinks read them, not in the kernel: {}", reason);
    return SocketCapture.start(sinks);
  }

  /** The phase's codec and SRTP for its label, or null when only plain PCMU is measured. */
  private static String mediaLabel(PacingOptions options, MediaVariant media) {
    return options.labelsMedia() ? media.label() : null;
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}

package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * <p>With {@code --stack line} every call is a real SIP call of a core line on the jainsip
 * backend; with {@code --stack media} the load process drives the backend's media engine alone
 * (no SIPp for it then).
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
  /** The jainsip media engine's pacer thread, whose scheduling the window records. */
  private static final String PACER_THREAD = "sipline-rtp-pacer";

  private Phase() {}

  static PhaseResult run(PacingOptions options, int run, int calls, Path dir, Path wav)
      throws IOException, InterruptedException, TimeoutException {
    Files.createDirectories(dir);
    int cores = Runtime.getRuntime().availableProcessors();
    boolean viaSip = options.stack().equals("line");
    try (UdpSinks sinks = UdpSinks.bind(2);
        SippPeer registrar = calls > 0 && viaSip ? SippPeer.registrar(dir) : null;
        SippPeer siplineCallee = calls > 0 && viaSip
            ? SippPeer.callee(dir, "callee-sipline", sinks.port(0)) : null;
        SippPeer baresipCallee = options.baresip()
            ? SippPeer.callee(dir, "callee-baresip", sinks.port(1)) : null;
        LoadProcess load = calls > 0 ? LoadProcess.start(dir, options, calls, sinks.port(0),
            viaSip ? registrar.port() : 0, viaSip ? siplineCallee.port() : 0, wav) : null) {
      long pacerTid = -1;
      if (load != null) {
        log.info("run {}: setting up {} calls", run, calls);
        load.awaitReady(SETUP_BASE.plus(SETUP_PER_CALL.multipliedBy(calls)));
        pacerTid = ThreadSched.find(load.pid(), PACER_THREAD);
        if (pacerTid < 0) {
          throw new IllegalStateException("no thread named " + PACER_THREAD + " in the load"
              + " process " + load.pid());
        }
        if (options.pacerRealTime() > 0) {
          ThreadSched.makeRealTime(pacerTid, options.pacerRealTime());
          log.info("pacer thread {} runs SCHED_FIFO at priority {}", pacerTid,
              options.pacerRealTime());
        }
      }
      try (BaresipPeer baresip = options.baresip()
              ? BaresipPeer.call(dir, "sip:sink@127.0.0.1:" + baresipCallee.port(), wav) : null;
          Capture capture = startCapture(options, dir, sinks)) {
        log.info("run {}, {} calls: warming up {} s, then measuring {} s", run, calls,
            options.warmup().toSeconds(), options.window().toSeconds());
        Await.elapse(options.warmup());
        double loadBefore = ProcStat.loadAverage();
        Instant from = Instant.now();
        long wall0 = System.nanoTime();
        long loadCpu0 = load == null ? 0 : ProcStat.cpuNanos(load.pid());
        long bareCpu0 = baresip == null ? 0 : ProcStat.cpuNanos(baresip.pid());
        ThreadSched.Counters pacer0 = load == null ? null
            : ThreadSched.counters(load.pid(), pacerTid);
        long steal0 = ProcStat.stealNanos();
        Await.elapse(options.window());
        long steal = ProcStat.stealNanos() - steal0;
        ThreadSched.Counters pacer = load == null ? null
            : ThreadSched.counters(load.pid(), pacerTid).minus(pacer0);
        long loadCpu1 = load == null ? 0 : ProcStat.cpuNanos(load.pid());
        long bareCpu1 = baresip == null ? 0 : ProcStat.cpuNanos(baresip.pid());
        long wall = System.nanoTime() - wall0;
        Instant to = Instant.now();
        double loadAfter = ProcStat.loadAverage();
        if (baresip != null && !baresip.isAlive()) {
          throw new IllegalStateException("baresip ended during the window: is the WAV long"
              + " enough for warm-up plus window?");
        }
        LoadResult loadResult = load == null ? null : load.stop();
        Capture.Result captured = capture.stop();
        long fromNanos = epochNanos(from);
        long toNanos = epochNanos(to);
        PacingStats siplineStats = load == null ? null : StreamAnalysis.analyse(
            captured.packets(), fromNanos, toNanos, port -> port == sinks.port(0));
        PacingStats baresipStats = baresip == null ? null : StreamAnalysis.analyse(
            captured.packets(), fromNanos, toNanos, port -> port == sinks.port(1));
        GcPauses gcWindow = load == null ? null : GcPauses.read(load.jfrFile(), from, to);
        GcPauses gcRun = load == null ? null
            : GcPauses.read(load.jfrFile(), Instant.EPOCH, Instant.now());
        return new PhaseResult(run, calls, captured.method(), captured.droppedByCapture(),
            loadBefore, loadAfter, wall, siplineStats, baresipStats,
            (double) (loadCpu1 - loadCpu0) / wall / cores,
            (double) (bareCpu1 - bareCpu0) / wall / cores,
            loadResult, gcWindow, gcRun, pacer, steal);
      }
    }
  }

  private static Capture startCapture(PacingOptions options, Path dir, UdpSinks sinks)
      throws IOException, InterruptedException, TimeoutException {
    String reason = options.capture().equals("socket") ? "socket capture chosen"
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

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}

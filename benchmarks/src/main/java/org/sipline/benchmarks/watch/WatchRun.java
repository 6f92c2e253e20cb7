package org.sipline.benchmarks.watch;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.sipline.api.lines.v1.GetLineRequest;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.Percentiles;
import org.sipline.benchmarks.harness.ProcStat;
import org.sipline.benchmarks.harness.SippPeer;
import org.sipline.benchmarks.harness.UdpSinks;
import org.sipline.benchmarks.latency.ServerProcess;
import org.sipline.benchmarks.latency.SipClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out of one line's statuses to many WatchStatus streams, through the server jar as users
 * run it. The line registers with a SIPp registrar and calls a SIPp callee; every watcher opens
 * with the line's newest sequence number as its cursor; then SipMute and SipUnMute alternate on the
 * call, each recording one status, with a random pause between them. A status's delay to a watcher
 * is the watcher's wall-clock time at its arrival (in the stream's observer, on the client's event
 * loop) minus the timestamp the status carries, which the line took when it recorded it: the same
 * host's clock on both ends.
 *
 * <pre>
 *   SipMute / SipUnMute ─→ server (one line) ─ WatchEvent × watchers ─→ watchers (N connections)
 * </pre>
 */
final class WatchRun {
  private static final Logger log = LoggerFactory.getLogger(WatchRun.class);
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
  private static final long DEADLINE_SECONDS = 30;

  private WatchRun() {}

  static Map<String, String> run(WatchOptions o, Path dir) throws Exception {
    Files.createDirectories(dir);
    List<ManagedChannel> channels = new ArrayList<>();
    Map<String, String> r = new LinkedHashMap<>();
    try (UdpSinks sinks = UdpSinks.bind(1);
        SippPeer registrar = SippPeer.registrar(dir);
        SippPeer callee = SippPeer.callee(dir, "callee", sinks.port(0));
        ServerProcess server =
            o.serverCpus().isEmpty()
                ? ServerProcess.start(dir, o.serverJar(), o.serverJvm())
                : ServerProcess.startOnCpus(dir, o.serverJar(), o.serverJvm(), o.serverCpus())) {
      double loadStart = ProcStat.loadAverage();
      SipClient sip = new SipClient(server.channel());
      sip.registerAndStartSession("bench@127.0.0.1:" + registrar.port());
      sip.startCall("sip:callee@127.0.0.1:" + callee.port());
      sip.awaitStatus(StatusType.OUTGOING_CALL_CONNECTED);
      long after = lastSeq(server);
      for (int i = 0; i < o.channels(); i++) {
        channels.add(
            ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .directExecutor()
                .build());
      }
      // Mute and unmute record one status each; twice the count leaves room for any other.
      int slots = 2 * (o.warmup() + o.statuses()) + 64;
      List<Watcher> watchers = new ArrayList<>();
      for (int i = 0; i < o.watchers(); i++) {
        watchers.add(Watcher.start(channels.get(i % o.channels()), after, slots));
      }
      Await.until(
          DELIVERY_TIMEOUT,
          o.watchers() + " watchers caught up",
          () -> watchers.stream().allMatch(w -> w.caughtUp() || w.failure() != null));
      failIfAny(watchers);
      log.info("watch: {} watchers live; {} statuses warm-up", o.watchers(), o.warmup());
      SplittableRandom random = new SplittableRandom(13);
      boolean[] muted = {false};
      toggle(server, o, o.warmup(), random, muted);
      long warmedUp = lastSeq(server);
      awaitDelivered(watchers, warmedUp);
      log.info("watch: timing {} statuses", o.statuses());
      long cpuStart = ProcStat.cpuNanos(server.pid());
      long selfStart = ProcStat.cpuNanos(ProcessHandle.current().pid());
      long stealStart = ProcStat.stealNanos();
      long wallStart = System.nanoTime();
      toggle(server, o, o.statuses(), random, muted);
      long last = lastSeq(server);
      awaitDelivered(watchers, last);
      long wall = System.nanoTime() - wallStart;
      long cpu = ProcStat.cpuNanos(server.pid()) - cpuStart;
      long self = ProcStat.cpuNanos(ProcessHandle.current().pid()) - selfStart;
      long steal = ProcStat.stealNanos() - stealStart;
      failIfAny(watchers);

      int cores = Runtime.getRuntime().availableProcessors();
      r.put("watchers", Integer.toString(o.watchers()));
      r.put("channels", Integer.toString(o.channels()));
      r.put("server_cpus", o.serverCpus().isEmpty() ? "all" : o.serverCpus());
      r.put("statuses", Long.toString(last - warmedUp));
      r.put("load_start", String.format(Locale.ROOT, "%.2f", loadStart));
      r.put("load_end", String.format(Locale.ROOT, "%.2f", ProcStat.loadAverage()));
      r.put("window_s", String.format(Locale.ROOT, "%.1f", wall / 1e9));
      r.put("server_cpu_share", String.format(Locale.ROOT, "%.1f %%", 100.0 * cpu / wall / cores));
      r.put(
          "harness_cpu_share", String.format(Locale.ROOT, "%.1f %%", 100.0 * self / wall / cores));
      r.put("steal_ms", Long.toString(steal / 1_000_000));
      // Per delivery, whatever CPUs either side was allowed (the shares above are of the CPUs the
      // harness may use, one under taskset).
      double deliveries = (double) (last - warmedUp) * o.watchers();
      r.put(
          "server_cpu_us_per_delivery", String.format(Locale.ROOT, "%.2f", cpu / 1e3 / deliveries));
      r.put(
          "harness_cpu_us_per_delivery",
          String.format(Locale.ROOT, "%.2f", self / 1e3 / deliveries));
      delays(r, watchers, warmedUp + 1, last);
      return r;
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
        c.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Records {@code count} statuses, alternately muting and unmuting, pausing at random between. */
  private static void toggle(
      ServerProcess server, WatchOptions o, int count, SplittableRandom random, boolean[] muted)
      throws InterruptedException {
    SipGrpc.SipBlockingStub sip =
        SipGrpc.newBlockingStub(server.channel())
            .withDeadlineAfter(DEADLINE_SECONDS * (count + 1), TimeUnit.SECONDS);
    for (int i = 0; i < count; i++) {
      StatusType got =
          muted[0]
              ? sip.sipUnMute(Empty.getDefaultInstance()).getStatusType()
              : sip.sipMute(Empty.getDefaultInstance()).getStatusType();
      StatusType want = muted[0] ? StatusType.MICROPHONE_UNMUTED : StatusType.MICROPHONE_MUTED;
      if (got != want) {
        throw new IllegalStateException("want " + want + ", got " + got);
      }
      muted[0] = !muted[0];
      int pause = o.pauseMinMs() + random.nextInt(o.pauseMaxMs() - o.pauseMinMs() + 1);
      Thread.sleep(pause); // the pacing of the load itself, not a wait for a state
    }
  }

  private static long lastSeq(ServerProcess server) {
    return LinesGrpc.newBlockingStub(server.channel())
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .getLine(GetLineRequest.getDefaultInstance())
        .getLastSeq();
  }

  private static void awaitDelivered(List<Watcher> watchers, long seq) throws Exception {
    Await.until(
        DELIVERY_TIMEOUT,
        "entry " + seq + " at every watcher",
        () -> watchers.stream().allMatch(w -> w.latest() >= seq || w.failure() != null));
    failIfAny(watchers);
  }

  private static void failIfAny(List<Watcher> watchers) {
    for (Watcher w : watchers) {
      if (w.failure() != null) {
        throw new IllegalStateException("a watcher failed: " + w.failure(), w.failure());
      }
    }
  }

  /** Every (watcher, status) delay pooled, and per status the delay to its last watcher. */
  private static void delays(Map<String, String> r, List<Watcher> watchers, long from, long to)
      throws IOException {
    int statuses = (int) (to - from + 1);
    long[] all = new long[statuses * watchers.size()];
    long[] lastWatcher = new long[statuses];
    long[] firstWatcher = new long[statuses];
    int n = 0;
    long missing = 0;
    long mismatched = 0;
    for (long seq = from; seq <= to; seq++) {
      long recorded = 0;
      long slowest = Long.MIN_VALUE;
      long fastest = Long.MAX_VALUE;
      for (Watcher w : watchers) {
        long at = w.arrived(seq);
        if (at == 0) {
          missing++;
          continue;
        }
        if (recorded == 0) {
          recorded = w.recorded(seq);
        } else if (recorded != w.recorded(seq)) {
          mismatched++;
        }
        long d = at - w.recorded(seq);
        all[n++] = d;
        slowest = Math.max(slowest, d);
        fastest = Math.min(fastest, d);
      }
      lastWatcher[(int) (seq - from)] = slowest;
      firstWatcher[(int) (seq - from)] = fastest;
    }
    long gaps = watchers.stream().mapToLong(Watcher::gaps).sum();
    long duplicates = watchers.stream().mapToLong(Watcher::duplicates).sum();
    r.put("deliveries", Integer.toString(n));
    r.put("missing", Long.toString(missing));
    r.put("gaps", Long.toString(gaps));
    r.put("duplicates", Long.toString(duplicates));
    r.put("timestamp_mismatches", Long.toString(mismatched));
    Percentiles p = new Percentiles(all, n);
    r.put("delay_p50_ms", ms(p.at(50)));
    r.put("delay_p99_ms", ms(p.at(99)));
    r.put("delay_p999_ms", ms(p.at(99.9)));
    r.put("delay_max_ms", ms(p.max()));
    Percentiles first = new Percentiles(firstWatcher, statuses);
    r.put("first_watcher_p50_ms", ms(first.at(50)));
    r.put("first_watcher_p99_ms", ms(first.at(99)));
    Percentiles lastP = new Percentiles(lastWatcher, statuses);
    r.put("last_watcher_p50_ms", ms(lastP.at(50)));
    r.put("last_watcher_p99_ms", ms(lastP.at(99)));
    r.put("last_watcher_max_ms", ms(lastP.max()));
    r.put("min_delay_ms", ms(new Percentiles(all, n).at(0.0001)));
    r.put("run_end", Instant.now().toString());
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}

package org.sipline.benchmarks.callrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sipline.api.lines.v1.Line;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.ListLinesRequest;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.ProcStat;
import org.sipline.benchmarks.harness.SippPeer;
import org.sipline.benchmarks.harness.UdpSinks;
import org.sipline.benchmarks.latency.ServerProcess;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call-rate run: Kamailio (registrar and proxy), the server jar serving two groups of lines —
 * {@code in-*} sharing the trunk identity {@code trunk} (each INVITE goes to the first free line,
 * answered at once: auto-answer 0), {@code out-*} sharing {@code out} with Kamailio as outbound
 * proxy — and a SIPp callee behind Kamailio that answers and hangs up after the hold. Per rate, a
 * SIPp caller calls the trunk through Kamailio while {@link OutgoingCalls} places as many calls by
 * SipStartCall; the step ends when every call of both directions is over and every line is free.
 *
 * <pre>
 *   SIPp caller ──→ Kamailio ──→ server jar (in-0 … in-N)
 *   harness ─gRPC→ server jar (out-0 … out-N) ──→ Kamailio ──→ SIPp callee
 * </pre>
 */
final class CallRateRun {
  private static final Logger log = LoggerFactory.getLogger(CallRateRun.class);
  private static final Duration READY = Duration.ofMinutes(3);

  /** After its last call is placed, how long a step may take to see every call over. */
  private static final Duration DRAIN = Duration.ofSeconds(90);

  private CallRateRun() {}

  static List<CallRateStep> run(CallRateOptions o, Path dir) throws Exception {
    Files.createDirectories(dir);
    int perDirection = o.linesPerDirection();
    List<CallRateStep> steps = new ArrayList<>();
    try (Kamailio kamailio =
            Kamailio.start(
                KamailioOptions.defaults()
                    .withUser("trunk", "trunk-pw")
                    .withUser("out", "out-pw")
                    .withInviteAuth(false)
                    // 32 MB ran out at 100 calls/s each way (Kamailio's 500s, BENCHMARKS §11).
                    .withSharedMemoryMb(256));
        UdpSinks sinks = UdpSinks.bind(1);
        SippPeer callee =
            SippPeer.withScenario(
                dir,
                "callee",
                IncomingCalls.resource("uas.xml")
                    .replace("@SINK_PORT@", Integer.toString(sinks.port(0)))
                    .replace("@HOLD_MS@", Integer.toString(o.holdMillis())))) {
      Set<String> outLines = new LinkedHashSet<>();
      Path linesFile = writeLines(dir, kamailio.hostPort(), perDirection, outLines);
      log.info("server with {} lines each way", perDirection);
      try (ServerProcess server =
          ServerProcess.start(
              dir, o.serverJar(), o.serverJvm(), List.of("--lines-file", linesFile.toString()))) {
        kamailio.awaitRegistered("trunk", READY);
        kamailio.awaitRegistered("out", READY);
        Await.until(
            READY,
            "all " + 2 * perDirection + " lines free",
            () -> allFree(server, 2 * perDirection));
        String calleeUri = "sip:callee@127.0.0.1:" + callee.port();
        try (LineWatch watch = LineWatch.start(server.channel(), outLines, READY);
            OutgoingCalls out = new OutgoingCalls(server.channel(), outLines, watch, calleeUri)) {
          if (o.warmupSeconds() > 0) {
            int rate = o.rates().get(0);
            log.info(
                "warm-up, not counted: {} s at {} calls/s in and out", o.warmupSeconds(), rate);
            CallRateStep warm =
                step(
                    o,
                    dir.resolve("warmup"),
                    rate,
                    o.warmupSeconds(),
                    kamailio.hostPort(),
                    sinks.port(0),
                    server.pid(),
                    watch,
                    out);
            log.info("warm-up: {}", warm.row().strip());
          }
          for (int rate : o.rates()) {
            CallRateStep step =
                step(
                    o,
                    dir.resolve("rate-" + rate),
                    rate,
                    o.seconds(),
                    kamailio.hostPort(),
                    sinks.port(0),
                    server.pid(),
                    watch,
                    out);
            log.info("{}", step.row().strip());
            steps.add(step);
            if (!step.drained()) {
              log.warn("{} calls/s did not drain: higher rates not run", rate);
              break;
            }
            Files.writeString(
                dir.resolve("setup-" + rate + ".tsv"),
                step.tsv(),
                java.nio.charset.StandardCharsets.UTF_8);
          }
        }
      }
    }
    return steps;
  }

  private static CallRateStep step(
      CallRateOptions o,
      Path dir,
      int rate,
      int seconds,
      String proxy,
      int sinkPort,
      long serverPid,
      LineWatch watch,
      OutgoingCalls out)
      throws Exception {
    int count = rate * seconds;
    log.info("{} calls/s in and out: {} calls each way", rate, count);
    Map<StatusType, Long> before = watch.counts();
    long placedBefore = out.placed();
    long refusedBefore = out.refused();
    long noLineBefore = out.noFreeLine();
    watch.drainConnectMicros();
    double loadBefore = ProcStat.loadAverage();
    long cpu0 = ProcStat.cpuNanos(serverPid);
    long t0 = System.nanoTime();
    IncomingCalls.Outcome in;
    int exit;
    try (IncomingCalls caller =
        IncomingCalls.start(
            dir, "caller-" + rate, proxy, "trunk", rate, count, o.holdMillis(), sinkPort)) {
      out.place(rate, count);
      exit = caller.awaitExit(DRAIN.plusMillis(o.holdMillis()));
      in = caller.outcome();
    }
    boolean drained = true;
    try {
      Await.until(
          DRAIN,
          "every call of the step over and its line free",
          () -> {
            Map<StatusType, Long> now = watch.counts();
            long inStarted = delta(now, before, StatusType.INCOMING_CALL_INITIATED);
            long inOver =
                delta(now, before, StatusType.INCOMING_CALL_FINISHED)
                    + delta(now, before, StatusType.INCOMING_CALL_FAILED);
            return watch.busyOutLines() == 0 && inOver >= inStarted;
          });
    } catch (TimeoutException e) {
      // Past the knee: the step is reported with what did finish, and the ramp stops.
      log.warn("{} calls/s: {}", rate, e.getMessage());
      drained = false;
    }
    long wall = System.nanoTime() - t0;
    long cpu = ProcStat.cpuNanos(serverPid) - cpu0;
    Map<StatusType, Long> after = watch.counts();
    int cores = Runtime.getRuntime().availableProcessors();
    if (watch.broken() != null) {
      throw new IllegalStateException("WatchStatus ended: " + watch.broken(), watch.broken());
    }
    return new CallRateStep(
        rate,
        count,
        exit,
        in.ended(),
        in.ringMicros(),
        in.answerMicros(),
        delta(after, before, StatusType.INCOMING_CALL_INITIATED),
        delta(after, before, StatusType.INCOMING_CALL_FINISHED),
        delta(after, before, StatusType.INCOMING_CALL_FAILED),
        out.placed() - placedBefore,
        out.refused() - refusedBefore,
        out.noFreeLine() - noLineBefore,
        delta(after, before, StatusType.OUTGOING_CALL_CONNECTED),
        delta(after, before, StatusType.OUTGOING_CALL_FINISHED),
        delta(after, before, StatusType.OUTGOING_CALL_FAILED),
        watch.drainConnectMicros(),
        100.0 * cpu / wall / cores,
        wall / 1e9,
        loadBefore,
        ProcStat.loadAverage(),
        watch.gaps(),
        drained);
  }

  private static long delta(
      Map<StatusType, Long> now, Map<StatusType, Long> before, StatusType type) {
    return now.get(type) - before.get(type);
  }

  /** The lines file: in-i on the trunk identity, out-i on the outgoing one, both at Kamailio. */
  private static Path writeLines(Path dir, String kamailio, int perDirection, Set<String> outLines)
      throws IOException {
    Files.writeString(dir.resolve("trunk.pw"), "trunk-pw\n");
    Files.writeString(dir.resolve("out.pw"), "out-pw\n");
    List<String> file = new ArrayList<>();
    for (int i = 0; i < perDirection; i++) {
      file.add("in-" + i + " account=trunk@" + kamailio + " password-file=trunk.pw auto-answer=0");
    }
    for (int i = 0; i < perDirection; i++) {
      String name = "out-" + i;
      outLines.add(name);
      file.add(
          name
              + " account=out@"
              + kamailio
              + " password-file=out.pw outbound-proxy=sip:"
              + kamailio
              + ";lr");
    }
    return Files.write(dir.toAbsolutePath().resolve("lines.txt"), file);
  }

  private static boolean allFree(ServerProcess server, int lines) {
    try {
      List<Line> all =
          LinesGrpc.newBlockingStub(server.channel())
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listLines(ListLinesRequest.getDefaultInstance())
              .getLinesList();
      return all.size() == lines && all.stream().allMatch(Line::getFree);
    } catch (RuntimeException e) {
      return false;
    }
  }
}

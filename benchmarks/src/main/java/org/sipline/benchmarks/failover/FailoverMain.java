package org.sipline.benchmarks.failover;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import org.sipline.benchmarks.harness.ProcStat;
import org.sipline.benchmarks.latency.ServerProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a killed node stays in Kamailio's rotation. N server jars run behind kamailio with
 * {@code deploy/kamailio/kamailio.cfg} as shipped (OPTIONS probes every second, out after two
 * missed); each round waits until every node is in rotation, waits a random 0–2 s more (so the kill
 * falls anywhere in the probe cycle), kills one node with SIGKILL and polls {@code kamcmd
 * dispatcher.list} until the dispatcher marks it inactive; the node is then started again on its
 * SIP port and its return timed too. Per round, to {@code rounds.tsv}; median and max to {@code
 * summary.md}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar org.sipline.benchmarks.failover.FailoverMain \
 *       [--nodes 3] [--kills 7] [--config deploy/kamailio/kamailio.cfg] --out DIR
 * </pre>
 */
public final class FailoverMain {
  private static final Logger log = LoggerFactory.getLogger(FailoverMain.class);
  private static final Duration STATE_TIMEOUT = Duration.ofSeconds(30);

  private FailoverMain() {}

  public static void main(String[] args) throws Exception {
    int nodes = 3;
    int kills = 7;
    Path config = Path.of("deploy", "kamailio", "kamailio.cfg");
    Path jar = Path.of("server", "target", "sipline.jar");
    Path out = Path.of("target", "failover");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
        case "--kills" -> kills = Integer.parseInt(args[i + 1]);
        case "--config" -> config = Path.of(args[i + 1]);
        case "--server-jar" -> jar = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> {
          System.err.println(
              "unknown option "
                  + args[i]
                  + "\nusage: FailoverMain [--nodes 3] [--kills 7] [--config FILE]"
                  + " [--server-jar JAR] [--out DIR]");
          System.exit(2);
        }
      }
    }
    if (args.length % 2 != 0 || nodes < 2 || kills < 1) {
      System.err.println("options come in pairs; --nodes at least 2, --kills at least 1");
      System.exit(2);
    }
    String summary = run(nodes, kills, config, jar, out.toAbsolutePath());
    System.out.println(summary);
    System.out.println("results in " + out.toAbsolutePath());
  }

  private static String run(int n, int kills, Path config, Path jar, Path out) throws Exception {
    Path dir = Files.createDirectories(out.resolve("run"));
    double loadStart = ProcStat.loadAverage();
    String started = ZonedDateTime.now(ZoneId.systemDefault()).toString();
    List<ServerProcess> nodes = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    StringBuilder tsv = new StringBuilder("round\tnode\tout_ms\tpoll_resolution_ms\tback_ms\n");
    long[] outs = new long[kills];
    long[] backs = new long[kills];
    try {
      for (int i = 0; i < n; i++) {
        ServerProcess node = startNode(dir, jar, i, 0, 0);
        nodes.add(node);
        uris.add("sip:127.0.0.1:" + node.sipPort());
      }
      try (DispatcherProcess kamailio =
          DispatcherProcess.start(dir.resolve("kamailio"), config, uris, 10)) {
        SplittableRandom random = new SplittableRandom(13);
        for (int k = 0; k < kills; k++) {
          awaitAll(kamailio, uris, "A");
          Thread.sleep(random.nextInt(2000)); // where in the probe cycle the kill falls
          int victim = k % n;
          String uri = uris.get(victim);
          long killed = System.nanoTime();
          nodes.get(victim).kill9();
          long[] seen = awaitState(kamailio, uri, "I", killed);
          outs[k] = seen[0];
          long restarted = System.nanoTime();
          nodes.set(victim, startNode(dir, jar, victim, k + 1, nodes.get(victim).sipPort()));
          long[] back = awaitState(kamailio, uri, "A", restarted);
          backs[k] = back[0];
          log.info(
              "round {}: node {} out of rotation {} ms after SIGKILL, back {} ms after restart",
              k + 1,
              victim,
              seen[0] / 1_000_000,
              back[0] / 1_000_000);
          tsv.append(k + 1)
              .append('\t')
              .append(victim)
              .append('\t')
              .append(ms(seen[0]))
              .append('\t')
              .append(ms(seen[1]))
              .append('\t')
              .append(ms(back[0]))
              .append('\n');
        }
      }
    } finally {
      nodes.forEach(ServerProcess::close);
    }
    Files.writeString(out.resolve("rounds.tsv"), tsv, StandardCharsets.UTF_8);
    String summary =
        "started: "
            + started
            + ", cores: "
            + Runtime.getRuntime().availableProcessors()
            + ", nodes: "
            + n
            + ", load average at start/end: "
            + String.format(Locale.ROOT, "%.2f / %.2f", loadStart, ProcStat.loadAverage())
            + "\n\n| figure | median | max | min | rounds |\n|---|---|---|---|---|\n"
            + row("SIGKILL → out of rotation (ms)", outs)
            + row("restart → back in rotation (ms)", backs)
            + "\n"
            + tsv;
    Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8);
    return summary;
  }

  private static ServerProcess startNode(Path dir, Path jar, int index, int round, int sipPort)
      throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve("node-" + index + "-" + round));
    return sipPort == 0
        ? ServerProcess.start(nodeDir, jar, List.of(), List.of())
        : ServerProcess.start(nodeDir, jar, List.of(), List.of(), sipPort);
  }

  private static void awaitAll(DispatcherProcess kamailio, List<String> uris, String prefix)
      throws Exception {
    long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
    while (true) {
      Map<String, String> states = kamailio.states();
      if (uris.stream().allMatch(u -> states.getOrDefault(u, "").startsWith(prefix))) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("not every node at " + prefix + " within 30 s: " + states);
      }
      Thread.sleep(10); // the poll's own interval: kamcmd is a process per read
    }
  }

  /**
   * Polls until {@code uri}'s flags start with {@code prefix}.
   *
   * @return the time from {@code since} to the end of the read that saw it (an upper bound), and
   *     that read's end minus the previous read's start (the resolution)
   */
  private static long[] awaitState(
      DispatcherProcess kamailio, String uri, String prefix, long since) throws Exception {
    long previousStart = since;
    while (true) {
      long start = System.nanoTime();
      String flags = kamailio.states().getOrDefault(uri, "");
      long end = System.nanoTime();
      if (flags.startsWith(prefix)) {
        return new long[] {end - since, end - Math.max(previousStart, since)};
      }
      if (end - since > STATE_TIMEOUT.toNanos()) {
        throw new TimeoutException(uri + " not at " + prefix + " within 30 s: " + flags);
      }
      previousStart = start;
      Thread.sleep(5); // the poll's own interval: kamcmd is a process per read
    }
  }

  private static String row(String what, long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    long median =
        sorted.length % 2 == 1
            ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    return "| "
        + what
        + " | "
        + ms(median)
        + " | "
        + ms(sorted[sorted.length - 1])
        + " | "
        + ms(sorted[0])
        + " | "
        + sorted.length
        + " |\n";
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
  }
}

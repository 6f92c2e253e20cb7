package org.sipline.benchmarks.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.ChildProcess;
import org.sipline.benchmarks.harness.SippPeer;

/**
 * Debian's kamailio running {@code deploy/kamailio/kamailio.cfg} as shipped, with the nodes given
 * as dispatcher set 1 (as the README's three-node setup writes its {@code dispatcher.list}), on a
 * free UDP port of 127.0.0.1; its nodes' states read with {@code kamcmd dispatcher.list}.
 */
final class DispatcherProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final ChildProcess process;
  private final Path socket;
  private final Path answer;

  private DispatcherProcess(ChildProcess process, Path socket, Path answer) {
    this.process = process;
    this.socket = socket;
    this.answer = answer;
  }

  static DispatcherProcess start(Path dir, Path config, List<String> nodes, int maxLoad)
      throws IOException, InterruptedException, TimeoutException {
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException("kamailio configuration not found: " + config);
    }
    Files.createDirectories(dir);
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      list.append("1 ")
          .append(nodes.get(i))
          .append(" 0 0 duid=node-")
          .append(i)
          .append(";maxload=")
          .append(maxLoad)
          .append('\n');
    }
    Path listFile = Files.writeString(dir.resolve("dispatcher.list"), list);
    Path socket = dir.resolve("kamailio_ctl");
    int port = SippPeer.freeUdpPort();
    ChildProcess p =
        ChildProcess.start(
            "kamailio",
            List.of(
                "kamailio",
                "-DD",
                "-E",
                "-f",
                config.toAbsolutePath().toString(),
                "-A",
                "LISTEN=udp:127.0.0.1:" + port,
                "-A",
                "DISPATCHER_LIST=\"" + listFile.toAbsolutePath() + "\"",
                "-A",
                "CTL_SOCKET=\"unix:" + socket.toAbsolutePath() + "\"",
                "-Y",
                dir.toAbsolutePath().toString(),
                "-P",
                dir.resolve("kamailio.pid").toAbsolutePath().toString(),
                "-w",
                dir.toAbsolutePath().toString(),
                "-m",
                "32",
                "-M",
                "8"),
            dir);
    DispatcherProcess d = new DispatcherProcess(p, socket, dir.resolve("kamcmd.out"));
    try {
      Await.until(
          START_TIMEOUT, "kamailio answering on " + socket, () -> !p.isAlive() || d.answers());
      if (!p.isAlive()) {
        throw p.failure("exited before it was ready");
      }
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      d.close();
      throw e;
    }
    return d;
  }

  private boolean answers() {
    try {
      return !states().isEmpty();
    } catch (IOException | InterruptedException | RuntimeException e) {
      return false;
    }
  }

  /** Every node's flags now: {@code AP} active and probed, {@code IP} inactive, ... */
  Map<String, String> states() throws IOException, InterruptedException {
    Process kamcmd =
        new ProcessBuilder("kamcmd", "-s", "unix:" + socket.toAbsolutePath(), "dispatcher.list")
            .redirectErrorStream(true)
            .redirectOutput(answer.toFile())
            .start();
    if (!kamcmd.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      kamcmd.destroyForcibly();
      throw new IllegalStateException(
          "kamcmd dispatcher.list did not answer in " + COMMAND_TIMEOUT);
    }
    String text = Files.readString(answer, StandardCharsets.ISO_8859_1);
    if (kamcmd.exitValue() != 0) {
      throw new IllegalStateException("kamcmd dispatcher.list failed: " + text.strip());
    }
    Map<String, String> states = new LinkedHashMap<>();
    String uri = null;
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (t.startsWith("URI:")) {
        uri = t.substring(4).strip();
      } else if (t.startsWith("FLAGS:") && uri != null) {
        states.put(uri, t.substring(6).strip());
        uri = null;
      }
    }
    return states;
  }

  @Override
  public void close() {
    process.close();
  }
}

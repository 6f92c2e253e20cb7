package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kamailio running a configuration given whole — the project's {@code deploy/kamailio/kamailio.cfg}
 * — in front of some nodes, rather than the registrar this package writes for itself ({@link
 * Kamailio}). The listening address, the node list and the control socket are passed as {@code -A}
 * defines, which that configuration takes; nothing in it is rewritten, so the test runs the file a
 * deployment runs.
 */
public final class KamailioDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KamailioDispatcher.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final int port;
  private final Path runDir;
  private final PeerProcess process;
  private final KamailioCtl ctl;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KamailioDispatcher(int port, Path runDir, PeerProcess process, KamailioCtl ctl) {
    this.port = port;
    this.runDir = runDir;
    this.process = process;
    this.ctl = ctl;
  }

  /**
   * Starts {@code config} on a free UDP port of 127.0.0.1 with {@code nodes} (SIP URIs, e.g. {@code
   * sip:127.0.0.1:5071}) as dispatcher set 1, each with a call limit of {@code maxLoad}; returns
   * once the control socket answers.
   */
  public static KamailioDispatcher start(Path config, List<String> nodes, int maxLoad) {
    Objects.requireNonNull(config, "config");
    Path binary = Executables.find("kamailio", "kamailio");
    int port = FreePorts.sipPort();
    Path runDir = RunDirs.create("kamailio-dispatcher");
    PeerProcess process = null;
    try {
      Path list = runDir.resolve("dispatcher.list");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < nodes.size(); i++) {
        lines.append("1 ").append(nodes.get(i)).append(" 0 0 duid=node-").append(i);
        lines.append(";maxload=").append(maxLoad).append('\n');
      }
      Files.writeString(list, lines, StandardCharsets.US_ASCII);
      process =
          PeerProcess.start(
              "kamailio-dispatcher",
              List.of(
                  binary.toString(),
                  "-DD",
                  "-E",
                  "-f",
                  config.toAbsolutePath().toString(),
                  "-A",
                  "LISTEN=udp:127.0.0.1:" + port,
                  "-A",
                  "DISPATCHER_LIST=\"" + list + "\"",
                  "-A",
                  "CTL_SOCKET=\"unix:" + KamailioConfig.controlSocket(runDir) + "\"",
                  "-Y",
                  runDir.toString(),
                  "-P",
                  runDir.resolve("kamailio.pid").toString(),
                  "-w",
                  runDir.toString(),
                  "-m",
                  "32",
                  "-M",
                  "8"),
              runDir);
      KamailioCtl ctl = new KamailioCtl(runDir);
      PeerProcess started = process;
      Boolean ready =
          Await.poll(
              START_TIMEOUT,
              Duration.ofMillis(50),
              () -> !started.isAlive() ? Boolean.FALSE : ctl.answers() ? Boolean.TRUE : null);
      if (!Boolean.TRUE.equals(ready)) {
        throw started.isAlive()
            ? started.failure("did not answer on its control socket within " + START_TIMEOUT)
            : started.failure("exited before it was ready");
      }
      process.rememberWorkers();
      log.info(
          "kamailio dispatcher on udp 127.0.0.1:{} in front of {}, pid {}",
          port,
          nodes,
          process.pid());
      return new KamailioDispatcher(port, runDir, process, ctl);
    } catch (IOException e) {
      if (process != null) {
        process.close();
      }
      RunDirs.release(runDir);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (process != null) {
        process.close();
      }
      RunDirs.release(runDir);
      throw e;
    }
  }

  /** {@code 127.0.0.1:<port>}: where callers send their INVITEs. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** Every node's state flags now: {@code AP} active and probed, {@code IP} inactive, ... */
  public Map<String, String> nodes() {
    return ctl.dispatcherTargets();
  }

  /** True when the dispatcher sends calls to {@code node} (its state starts with A). */
  public boolean inRotation(String node) {
    String flags = nodes().get(node);
    return flags != null && flags.startsWith("A");
  }

  /**
   * Waits until {@code node}'s flags satisfy {@code state}, polling every 50 ms.
   *
   * @throws PeerException naming the node's last flags when they do not within {@code timeout}
   */
  public void awaitNode(String node, Predicate<String> state, Duration timeout) {
    boolean reached =
        Await.until(
            timeout,
            Duration.ofMillis(50),
            () -> {
              String flags = nodes().get(node);
              return flags != null && state.test(flags);
            });
    if (!reached) {
      throw new PeerException(
          "dispatcher node "
              + node
              + " did not reach the state within "
              + timeout
              + ": "
              + nodes());
    }
  }

  /** The dispatcher's log so far (kamailio's stderr). */
  public String log() {
    try {
      return Files.readString(process.logFile(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.close();
    RunDirs.release(runDir);
  }

  @Override
  public String toString() {
    return "KamailioDispatcher[" + hostPort() + ", pid " + pid() + "]";
  }
}

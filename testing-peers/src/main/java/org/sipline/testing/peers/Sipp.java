package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipline.core.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIPp run on 127.0.0.1: a UAS that takes calls on its port or a UAC that places them at a
 * target. Everything it logs goes into a run directory of its own: the SIP messages it sent and
 * received ({@link #messages()}), its errors ({@link #errors()}), its statistics (read by {@link
 * #awaitExit}). {@link #close()} stops it by its PID if it still runs.
 *
 * <pre>{@code
 * try (Sipp callee = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults())) {
 *   // let the code under test call callee.uri("bob") ...
 *   assertThat(callee.awaitExit(Duration.ofSeconds(10)).succeeded()).isTrue();
 * }
 * }</pre>
 */
public final class Sipp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sipp.class);
  private static final Pattern TARGET = Pattern.compile("(127(?:\\.\\d{1,3}){3}):(\\d{1,5})");

  /** How long a UAS may take to bind its port. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

  private final String mode;
  private final SippScenario scenario;
  private final int port;
  private final int mediaPort;
  private final Path runDir;

  /** Set by the first close(); a later one does nothing (try-with-resources after a close). */
  private final AtomicBoolean closed = new AtomicBoolean();

  private final PeerProcess process;

  private Sipp(
      String mode,
      SippScenario scenario,
      int port,
      int mediaPort,
      Path runDir,
      PeerProcess process) {
    this.mode = mode;
    this.scenario = scenario;
    this.port = port;
    this.mediaPort = mediaPort;
    this.runDir = runDir;
    this.process = process;
  }

  /**
   * Starts SIPp as a UAS and returns once it listens on its port.
   *
   * @throws PeerException when sipp is missing, exits early or does not bind its port in time
   */
  public static Sipp uas(SippScenario scenario, SippOptions options) {
    Sipp sipp = start("uas", scenario, null, options);
    boolean tcp = options.transport() == Transport.TCP;
    Boolean ready =
        Await.poll(
            READY_TIMEOUT,
            () ->
                !sipp.process.isAlive()
                    ? Boolean.FALSE
                    : (tcp ? BoundPorts.tcpListening(sipp.port) : BoundPorts.udpBound(sipp.port))
                        ? Boolean.TRUE
                        : null);
    if (!Boolean.TRUE.equals(ready)) {
      PeerException failure =
          sipp.process.isAlive()
              ? sipp.process.failure("did not bind port " + sipp.port + " within " + READY_TIMEOUT)
              : sipp.process.failure("exited before it was ready");
      sipp.close();
      throw failure;
    }
    return sipp;
  }

  /**
   * Starts SIPp as a UAC placing its calls at {@code target}.
   *
   * @param target {@code ip:port} on the loopback network, e.g. "127.0.0.1:25060"
   */
  public static Sipp uac(SippScenario scenario, String target, SippOptions options) {
    Matcher m = TARGET.matcher(target);
    if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
      throw new IllegalArgumentException(
          "target must be <127.x.y.z>:<port> (tests stay on loopback): " + target);
    }
    return start("uac", scenario, target, options);
  }

  private static Sipp start(
      String mode, SippScenario scenario, String target, SippOptions options) {
    Path binary = Executables.find("sipp", "sip-tester");
    int port = options.port() == 0 ? FreePorts.sipPort() : options.port();
    int mediaPort = options.mediaPort() == 0 ? FreePorts.udpPortBlock(4) : options.mediaPort();
    Path runDir = RunDirs.create("sipp-" + mode);
    try {
      Path scenarioFile = runDir.resolve(scenario.fileName());
      Files.writeString(scenarioFile, scenario.xml(), StandardCharsets.ISO_8859_1);
      List<String> command =
          command(binary, scenarioFile, target, port, mediaPort, options, runDir);
      PeerProcess process = PeerProcess.start("sipp-" + mode, command, runDir);
      return new Sipp(mode, scenario, port, mediaPort, runDir, process);
    } catch (IOException e) {
      RunDirs.release(runDir);
      throw new UncheckedIOException("writing SIPp scenario into " + runDir, e);
    } catch (RuntimeException e) {
      RunDirs.release(runDir);
      throw e;
    }
  }

  private static List<String> command(
      Path binary,
      Path scenarioFile,
      String target,
      int port,
      int mediaPort,
      SippOptions options,
      Path runDir) {
    List<String> c =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "-sf",
                scenarioFile.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-mi",
                "127.0.0.1",
                "-mp",
                Integer.toString(mediaPort),
                "-t",
                options.transport() == Transport.TCP ? "t1" : "u1",
                "-m",
                Integer.toString(options.calls()),
                "-d",
                Long.toString(options.holdMillis()),
                "-timeout",
                options.timeout().toSeconds() + "s",
                "-timeout_error",
                "-nostdin",
                "-trace_msg",
                "-message_file",
                runDir.resolve("messages.log").toString(),
                "-trace_err",
                "-error_file",
                runDir.resolve("errors.log").toString(),
                "-trace_stat",
                "-stf",
                runDir.resolve("stat.csv").toString()));
    if (options.recvTimeout() != null) {
      c.addAll(List.of("-recv_timeout", Long.toString(options.recvTimeout().toMillis())));
    }
    if (options.service() != null) {
      c.addAll(List.of("-s", options.service()));
    }
    if (options.authUser() != null) {
      c.addAll(List.of("-au", options.authUser(), "-ap", options.authPassword()));
    }
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("caller", "sipp");
    keys.put("expires", "3600");
    keys.put("contact_port", Integer.toString(port));
    keys.putAll(options.keys());
    keys.forEach((k, v) -> c.addAll(List.of("-key", k, v)));
    options.variables().forEach((k, v) -> c.addAll(List.of("-set", k, v)));
    if (target != null) {
      c.add(target);
    }
    return c;
  }

  /** The local SIP port. */
  public int port() {
    return port;
  }

  /** The local RTP port its SDP names ({@code [media_port]}). */
  public int mediaPort() {
    return mediaPort;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** {@code sip:<user>@127.0.0.1:<port>}: an address that reaches this SIPp directly. */
  public String uri(String user) {
    return "sip:" + user + "@" + hostPort();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Its scenario file, logs and statistics. */
  public Path runDir() {
    return runDir;
  }

  /**
   * Waits for SIPp to finish its calls and exit.
   *
   * @throws PeerException when it still runs after {@code timeout}, with its errors and log tail
   */
  public SippResult awaitExit(Duration timeout) {
    Integer code = process.awaitExit(timeout);
    if (code == null) {
      throw process.failure(
          scenario + " did not finish within " + timeout + "; errors:\n" + errors());
    }
    long[] counts = SippStats.read(runDir.resolve("stat.csv"));
    SippResult result = new SippResult(code, counts[0], counts[1]);
    log.info("sipp {} {} finished: {}", mode, scenario, result);
    return result;
  }

  /**
   * Waits for SIPp to exit and requires every call to have succeeded.
   *
   * @throws PeerException naming the result, SIPp's errors and the messages it exchanged
   */
  public SippResult awaitSuccess(Duration timeout) {
    SippResult result = awaitExit(timeout);
    if (!result.succeeded()) {
      throw new PeerException(
          "sipp "
              + mode
              + " "
              + scenario
              + " failed: "
              + result
              + "\nerrors:\n"
              + errors()
              + "\nmessages:\n"
              + messages()
              + "\nlog tail:\n"
              + process.tail());
    }
    return result;
  }

  /** Every SIP message SIPp sent or received so far, as its {@code -trace_msg} file holds them. */
  public String messages() {
    return read("messages.log");
  }

  /** SIPp's {@code -trace_err} file: unexpected messages, timeouts, aborted calls. */
  public String errors() {
    return read("errors.log");
  }

  private String read(String file) {
    Path path = runDir.resolve(file);
    try {
      return Files.exists(path) ? Files.readString(path, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path, e);
    }
  }

  /** Stops SIPp if it still runs (SIGTERM, then SIGKILL after a bound) and removes its files. */
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
    return "Sipp[" + mode + " " + scenario + " " + hostPort() + ", pid " + pid() + "]";
  }
}

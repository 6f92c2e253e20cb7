package org.sipline.testing.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kamailio registrar and proxy on 127.0.0.1 for one test: digest-authenticated REGISTER into an
 * in-memory location table, calls between registered users and to any other address (see {@link
 * KamailioConfig} for the exact script). Runs in the foreground from a config and run directory of
 * its own; {@link #close()} stops it and its workers by PID.
 *
 * <pre>{@code
 * try (Kamailio kamailio = Kamailio.start(KamailioOptions.defaults().withUser("alice", "secret"))) {
 *   // register alice at 127.0.0.1:kamailio.port() ...
 *   kamailio.awaitRegistered("alice", Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Kamailio implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Kamailio.class);

  private final KamailioOptions options;
  private final int port;
  private final int tlsPort;
  private final Path runDir;
  private final PeerProcess process;
  private final KamailioCtl ctl;

  /** Set by the first close(); a later one does nothing (try-with-resources after a close). */
  private final AtomicBoolean closed = new AtomicBoolean();

  private Kamailio(
      KamailioOptions options,
      int port,
      int tlsPort,
      Path runDir,
      PeerProcess process,
      KamailioCtl ctl) {
    this.options = options;
    this.port = port;
    this.tlsPort = tlsPort;
    this.runDir = runDir;
    this.process = process;
    this.ctl = ctl;
  }

  /**
   * Writes the config, starts kamailio and returns once its control socket answers.
   *
   * @throws PeerException when kamailio is not installed, exits, or is not ready within the
   *     options' start timeout; the message ends with the tail of its log
   */
  public static Kamailio start(KamailioOptions options) {
    Path binary = Executables.find("kamailio", "kamailio");
    if (options.tls() != null) {
      KamailioConfig.requireTlsModule();
    }
    int port = options.port() == 0 ? FreePorts.sipPort() : options.port();
    int tlsPort = options.tls() == null ? -1 : FreePorts.tcpPort();
    Path runDir = RunDirs.create("kamailio");
    PeerProcess process = null;
    try {
      Path config = KamailioConfig.write(options, port, tlsPort, runDir);
      KamailioCtl ctl = new KamailioCtl(runDir);
      process =
          PeerProcess.start(
              "kamailio",
              List.of(
                  binary.toString(),
                  "-DD", // foreground, but still forking its workers
                  "-E", // log to stderr, i.e. our log file
                  "-f",
                  config.toString(),
                  "-Y",
                  runDir.toString(),
                  "-P",
                  runDir.resolve("kamailio.pid").toString(),
                  "-w",
                  runDir.toString(),
                  "-m",
                  Integer.toString(options.sharedMemoryMb()),
                  "-M",
                  "8"),
              runDir);
      awaitReady(process, ctl, options.startTimeout());
      process.rememberWorkers();
      log.info(
          "kamailio ready on udp+tcp 127.0.0.1:{}{} (domain {}, users {}), pid {}",
          port,
          tlsPort > 0
              ? ", tls 127.0.0.1:" + tlsPort + " (" + options.tls().description() + ")"
              : "",
          options.domain(),
          options.users().keySet(),
          process.pid());
      return new Kamailio(options, port, tlsPort, runDir, process, ctl);
    } catch (RuntimeException e) {
      if (process != null) {
        process.close();
      }
      RunDirs.release(runDir);
      throw e;
    }
  }

  private static void awaitReady(PeerProcess process, KamailioCtl ctl, Duration timeout) {
    Boolean ready =
        Await.poll(
            timeout,
            Duration.ofMillis(50),
            () -> !process.isAlive() ? Boolean.FALSE : ctl.answers() ? Boolean.TRUE : null);
    if (!Boolean.TRUE.equals(ready)) {
      throw process.isAlive()
          ? process.failure("did not answer on its control socket within " + timeout)
          : process.failure("exited before it was ready");
    }
  }

  /** The UDP and TCP port it listens on, at 127.0.0.1. */
  public int port() {
    return port;
  }

  /**
   * The TLS port at 127.0.0.1, when started {@link KamailioOptions#withTls with TLS}.
   *
   * @throws IllegalStateException when TLS is off
   */
  public int tlsPort() {
    if (tlsPort < 0) {
      throw new IllegalStateException("kamailio " + hostPort() + " was started without TLS");
    }
    return tlsPort;
  }

  /** {@code 127.0.0.1:<tls port>}: the registrar and outbound proxy address over TLS. */
  public String tlsHostPort() {
    return host() + ":" + tlsPort();
  }

  public String host() {
    return "127.0.0.1";
  }

  /** {@code 127.0.0.1:<port>}: the registrar and outbound proxy address. */
  public String hostPort() {
    return host() + ":" + port;
  }

  /** The SIP domain and digest realm. */
  public String domain() {
    return options.domain();
  }

  /** {@code sip:<user>@127.0.0.1:<port>}: where a request for {@code user} reaches it. */
  public String uri(String user) {
    return "sip:" + user + "@" + hostPort();
  }

  public long pid() {
    return process.pid();
  }

  /** Its config, log ({@code kamailio.log}) and db_text tables. */
  public Path runDir() {
    return runDir;
  }

  /** True when {@code user} has at least one unexpired binding in the location table. */
  public boolean isRegistered(String user) {
    return !contacts(user).isEmpty();
  }

  /** The contact URIs bound to {@code user}, as the location table holds them. */
  public List<String> contacts(String user) {
    checkRunning();
    return ctl.contacts(user);
  }

  /**
   * Waits until {@code user} has a binding and returns its contacts.
   *
   * @throws PeerException naming the user and the REGISTERs seen when the time runs out
   */
  public List<String> awaitRegistered(String user, Duration timeout) {
    List<String> contacts =
        Await.poll(
            timeout,
            Duration.ofMillis(50),
            () -> {
              List<String> now = contacts(user);
              return now.isEmpty() ? null : now;
            });
    if (contacts == null) {
      throw new PeerException(
          user
              + " not registered at kamailio "
              + hostPort()
              + " within "
              + timeout
              + "; REGISTERs received: "
              + registersOf(user));
    }
    return contacts;
  }

  /**
   * Waits until {@code user} has no binding left (un-REGISTER or expiry).
   *
   * @throws PeerException naming the user and its contacts when the time runs out
   */
  public void awaitUnregistered(String user, Duration timeout) {
    if (!Await.until(timeout, Duration.ofMillis(50), () -> !isRegistered(user))) {
      throw new PeerException(
          user
              + " still registered at kamailio "
              + hostPort()
              + " after "
              + timeout
              + " with contacts "
              + contacts(user)
              + "; REGISTERs received: "
              + registersOf(user));
    }
  }

  /** Every request received so far, oldest first, retransmissions included. */
  public List<ReceivedRequest> receivedRequests() {
    return RequestLog.parse(process.readLog());
  }

  /**
   * Waits for a received request that matches {@code filter} and returns the first such.
   *
   * @throws PeerException listing what was received when none matches within {@code timeout}
   */
  public ReceivedRequest awaitRequest(Predicate<ReceivedRequest> filter, Duration timeout) {
    ReceivedRequest found =
        Await.poll(
            timeout, () -> receivedRequests().stream().filter(filter).findFirst().orElse(null));
    if (found == null) {
      throw new PeerException(
          "kamailio "
              + hostPort()
              + " received no matching request within "
              + timeout
              + "; received: "
              + receivedRequests());
    }
    return found;
  }

  private List<ReceivedRequest> registersOf(String user) {
    return receivedRequests().stream()
        .filter(r -> r.is("REGISTER") && user.equals(r.toUser()))
        .toList();
  }

  private void checkRunning() {
    if (!process.isAlive()) {
      throw process.failure("is not running");
    }
  }

  /**
   * Stops kamailio and all its workers (SIGTERM, then SIGKILL after a bound), removes its files.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.close();
    RunDirs.release(runDir);
  }

  /**
   * Every process kamailio consisted of (main and workers), to prove they are all gone after {@link
   * #close()}.
   */
  public List<ProcessHandle> processes() {
    return process.handles();
  }

  @Override
  public String toString() {
    return "Kamailio[" + hostPort() + ", pid " + pid() + "]";
  }
}

package org.sipline.testing.peers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dnsmasq name server on 127.0.0.1 for one test, on a UDP/TCP port it picks, serving only the
 * records the test gives it (NAPTR, SRV, A) and authoritative NXDOMAIN for the rest of its domain:
 * no upstream, no /etc/hosts, no config file. {@link #close()} stops it by PID.
 *
 * <pre>{@code
 * try (Dnsmasq dns = Dnsmasq.start("sipline.test", List.of(
 *     "--srv-host=_sip._udp.sipline.test,a.sipline.test,5062,10,0",
 *     "--host-record=a.sipline.test,127.0.0.1"))) {
 *   // --dns-servers 127.0.0.1:dns.port()
 * }
 * }</pre>
 */
public final class Dnsmasq implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dnsmasq.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final int port;
  private final Path runDir;
  private final PeerProcess process;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Dnsmasq(int port, Path runDir, PeerProcess process) {
    this.port = port;
    this.runDir = runDir;
    this.process = process;
  }

  /**
   * Starts dnsmasq serving {@code domain} with {@code records} (dnsmasq options such as {@code
   * --srv-host=…}, {@code --naptr-record=…}, {@code --host-record=…}) and returns once it answers.
   *
   * @throws PeerException when dnsmasq (Debian package dnsmasq-base) is missing, exits, or does not
   *     answer within 10 s; the message ends with the tail of its log
   */
  public static Dnsmasq start(String domain, List<String> records) {
    Path binary = Executables.find("dnsmasq", "dnsmasq-base");
    int port = FreePorts.sipPort(); // free for UDP and TCP: dnsmasq listens on both
    Path runDir = RunDirs.create("dnsmasq");
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--no-daemon");
    command.add("--conf-file=/dev/null");
    command.add("--pid-file=");
    command.add("--port=" + port);
    command.add("--listen-address=127.0.0.1");
    command.add("--bind-interfaces");
    command.add("--no-resolv");
    command.add("--no-hosts");
    command.add("--no-poll");
    command.add("--local=/" + domain + "/");
    command.add("--log-queries");
    command.add("--log-facility=-");
    command.addAll(records);
    PeerProcess process = PeerProcess.start("dnsmasq", command, runDir);
    try {
      boolean ready =
          Await.until(
              START_TIMEOUT, Duration.ofMillis(50), () -> !process.isAlive() || answers(port));
      if (!ready || !process.isAlive()) {
        throw process.isAlive()
            ? process.failure("did not answer a query within " + START_TIMEOUT)
            : process.failure("exited before it was ready");
      }
      log.info("dnsmasq ready on 127.0.0.1:{} for {}, pid {}", port, domain, process.pid());
      return new Dnsmasq(port, runDir, process);
    } catch (RuntimeException e) {
      process.close();
      RunDirs.release(runDir);
      throw e;
    }
  }

  /** Whether a server on {@code port} answers a query for "ready." (any answer will do). */
  private static boolean answers(int port) {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(200);
      byte[] query = query("ready");
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(loopback, port)));
      byte[] buf = new byte[512];
      socket.receive(new DatagramPacket(buf, buf.length));
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** A DNS query (RFC 1035 §4.1) for the A record of the one-label {@code name}. */
  private static byte[] query(String name) {
    byte[] label = name.getBytes(StandardCharsets.US_ASCII);
    byte[] q = new byte[12 + 1 + label.length + 1 + 4];
    q[0] = 0x12;
    q[1] = 0x34; // id
    q[2] = 0x01; // RD
    q[5] = 1; // one question
    q[12] = (byte) label.length;
    System.arraycopy(label, 0, q, 13, label.length);
    int i = 13 + label.length;
    q[i++] = 0; // root
    q[i++] = 0;
    q[i++] = 1; // type A
    q[i++] = 0;
    q[i] = 1; // class IN
    return q;
  }

  /** The port it serves on (UDP and TCP) at 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}, as {@code --dns-servers} takes it. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** The queries it logged so far (its log lines with "query["), for assertions. */
  public List<String> queries() {
    try {
      return java.nio.file.Files.readAllLines(process.logFile()).stream()
          .filter(l -> l.contains("query["))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
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
    return "dnsmasq 127.0.0.1:" + port + " pid " + process.pid();
  }
}

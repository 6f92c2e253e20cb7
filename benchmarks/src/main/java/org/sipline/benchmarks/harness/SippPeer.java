package org.sipline.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIPp UAS on 127.0.0.1 playing one of the harness's scenarios: the registrar (accepts every
 * REGISTER) or the callee (answers every INVITE with RTP to a sink port).
 */
public final class SippPeer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SippPeer.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

  /** Ports tried before a start gives up on "Address already in use". */
  static final int PORT_TRIES = 5;

  private final ChildProcess process;
  private final int port;

  private SippPeer(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static SippPeer registrar(Path dir)
      throws IOException, InterruptedException, TimeoutException {
    return start(dir, "registrar", scenario("registrar.xml"));
  }

  /** The answer's media when the caller does not say: PCMU, plain RTP. */
  public static final String PCMU_MEDIA = "m=audio @SINK_PORT@ RTP/AVP 0\na=rtpmap:0 PCMU/8000";

  /** A callee whose SDP sends every caller's RTP, PCMU, to {@code sinkPort} on 127.0.0.1. */
  public static SippPeer callee(Path dir, String name, int sinkPort)
      throws IOException, InterruptedException, TimeoutException {
    return callee(dir, name, sinkPort, PCMU_MEDIA);
  }

  /**
   * A callee whose answer is {@code media} (its m= line and attributes, one per line,
   * {@code @SINK_PORT@} standing for the port), so every caller's RTP goes to {@code sinkPort} on
   * 127.0.0.1 in the format and profile that answer agrees.
   */
  public static SippPeer callee(Path dir, String name, int sinkPort, String media)
      throws IOException, InterruptedException, TimeoutException {
    return start(
        dir,
        name,
        scenario("callee.xml")
            .replace("@MEDIA@", media.replace("\n", "\n      "))
            .replace("@SINK_PORT@", Integer.toString(sinkPort)));
  }

  /**
   * A SIPp UAS playing {@code scenario} (the XML itself), named {@code name} in the run directory's
   * files.
   */
  public static SippPeer withScenario(Path dir, String name, String scenario)
      throws IOException, InterruptedException, TimeoutException {
    return start(dir, name, scenario);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** Starts on a port picked free; picked again when another process took it first. */
  private static SippPeer start(Path dir, String name, String scenario)
      throws IOException, InterruptedException, TimeoutException {
    // Absolute: SIPp runs in dir, where a relative path would be taken from there.
    Path file = dir.toAbsolutePath().resolve(name + ".xml");
    Files.writeString(file, scenario, StandardCharsets.ISO_8859_1);
    for (int attempt = 1; ; attempt++) {
      SippPeer started = startOn(dir, name, file, freeUdpPort(), attempt < PORT_TRIES);
      if (started != null) {
        return started;
      }
    }
  }

  /**
   * SIPp on {@code port}; null when the port was taken between our probe and SIPp's bind and {@code
   * mayRetry}.
   */
  static SippPeer startOn(Path dir, String name, Path file, int port, boolean mayRetry)
      throws IOException, InterruptedException, TimeoutException {
    ChildProcess sipp =
        ChildProcess.start(
            "sipp-" + name,
            List.of(
                "sipp",
                "-sf",
                file.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-t",
                "u1",
                "-nostdin",
                "-trace_err",
                "-error_file",
                dir.toAbsolutePath().resolve("sipp-" + name + "-errors.log").toString()),
            dir);
    try {
      // SIPp's own socket, not just "someone holds the port": another process may have it.
      Await.until(
          READY_TIMEOUT,
          "SIPp " + name + " bound to UDP " + port,
          () -> !sipp.isAlive() || PortOwner.holdsUdp(sipp.pid(), port));
      if (!sipp.isAlive()) {
        if (mayRetry && sipp.stderr().contains(PortOwner.IN_USE)) {
          log.info("SIPp {}: UDP {} was taken before it bound; another port", name, port);
          return null;
        }
        throw sipp.failure("exited before binding UDP port " + port);
      }
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      sipp.close();
      throw e;
    }
    return new SippPeer(sipp, port);
  }

  static String scenario(String resource) {
    try (InputStream in = SippPeer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("scenario resource missing from the jar: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("reading scenario " + resource, e);
    }
  }

  public static int freeUdpPort() throws SocketException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.close();
  }
}

package org.sipline.benchmarks.latency;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sipline.api.sip.SipGrpc;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.ChildProcess;
import org.sipline.benchmarks.harness.PortOwner;
import org.sipline.benchmarks.harness.SippPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sipline server jar as users run it ({@code java -jar sipline.jar serve}), on loopback ports
 * of its own with the jainsip backend, and a plaintext gRPC channel to it.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** As a SIP port: pick a free one. */
  public static final int PICK = 0;

  /** Port pairs tried before a start gives up on "Address already in use". */
  private static final int PORT_TRIES = 5;

  private final ChildProcess process;
  private final ManagedChannel channel;
  private final int grpcPort;
  private final int sipPort;

  private ServerProcess(ChildProcess process, ManagedChannel channel, int grpcPort, int sipPort) {
    this.grpcPort = grpcPort;
    this.sipPort = sipPort;
    this.process = process;
    this.channel = channel;
  }

  /** Starts the server and returns once it answers SipGetSipStatus. */
  public static ServerProcess start(Path dir, Path jar, List<String> jvmFlags)
      throws IOException, InterruptedException, TimeoutException {
    return start(dir, jar, jvmFlags, List.of());
  }

  /**
   * Starts the server with {@code serveFlags} after its usual ones (e.g. {@code --lines 500}) and
   * returns once it answers SipGetSipStatus.
   */
  public static ServerProcess start(
      Path dir, Path jar, List<String> jvmFlags, List<String> serveFlags)
      throws IOException, InterruptedException, TimeoutException {
    return start(List.of(), dir, jar, jvmFlags, serveFlags, "jainsip", PICK);
  }

  /**
   * The same on {@code backend} ("jainsip" or "pjsip"; for pjsip, {@code jvmFlags} must put
   * libsiplinepj.so on {@code jna.library.path}).
   */
  public static ServerProcess start(
      Path dir, Path jar, List<String> jvmFlags, List<String> serveFlags, String backend)
      throws IOException, InterruptedException, TimeoutException {
    return start(List.of(), dir, jar, jvmFlags, serveFlags, backend, PICK);
  }

  /**
   * As {@link #start(Path, Path, List, List)} with SIP on {@code sipPort} (e.g. a node restarted on
   * the address a proxy knows it by).
   */
  public static ServerProcess start(
      Path dir, Path jar, List<String> jvmFlags, List<String> serveFlags, int sipPort)
      throws IOException, InterruptedException, TimeoutException {
    return start(List.of(), dir, jar, jvmFlags, serveFlags, "jainsip", sipPort);
  }

  /**
   * As {@link #start(Path, Path, List)} with the server's threads on {@code cpus} only ({@code
   * taskset -c}, e.g. "0"), so that its share of the machine is told apart from the harness's.
   */
  public static ServerProcess startOnCpus(Path dir, Path jar, List<String> jvmFlags, String cpus)
      throws IOException, InterruptedException, TimeoutException {
    return start(List.of("taskset", "-c", cpus), dir, jar, jvmFlags, List.of(), "jainsip", PICK);
  }

  /**
   * The general form: {@code launcher} (a command that execs the JVM, or none), {@code backend} and
   * the SIP port all given ({@link #PICK}: a free one). The gRPC port, and the SIP port when picked
   * here, are picked again when another process took one of them before the server bound it.
   */
  private static ServerProcess start(
      List<String> launcher,
      Path dir,
      Path jar,
      List<String> jvmFlags,
      List<String> serveFlags,
      String backend,
      int sipPort)
      throws IOException, InterruptedException, TimeoutException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "server jar not found: "
              + jar.toAbsolutePath()
              + " (build it: mvn -pl server -am package -DskipTests)");
    }
    for (int attempt = 1; ; attempt++) {
      int sip = sipPort == PICK ? SippPeer.freeUdpPort() : sipPort;
      ServerProcess started =
          startOn(
              launcher,
              dir,
              jar,
              jvmFlags,
              serveFlags,
              backend,
              sip,
              freeTcpPort(),
              attempt < PORT_TRIES);
      if (started != null) {
        return started;
      }
    }
  }

  /**
   * The server on these ports; null when one was taken before the server bound it and {@code
   * mayRetry}.
   */
  private static ServerProcess startOn(
      List<String> launcher,
      Path dir,
      Path jar,
      List<String> jvmFlags,
      List<String> serveFlags,
      String backend,
      int sipPort,
      int grpcPort,
      boolean mayRetry)
      throws IOException, InterruptedException, TimeoutException {
    // The launcher (taskset) execs the JVM: the child's PID stays the server's.
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(
        List.of(
            "-jar",
            jar.toAbsolutePath().toString(),
            "serve",
            "--grpc-address",
            "127.0.0.1",
            "--grpc-port",
            Integer.toString(grpcPort),
            "--sip-address",
            "127.0.0.1",
            "--sip-port",
            Integer.toString(sipPort),
            "--backend",
            backend,
            "--backend-option",
            "register.expires=3600",
            "--log-level",
            "warn"));
    command.addAll(serveFlags);
    ChildProcess server = ChildProcess.start("server", command, dir);
    // Blocking calls (every timed one) already run their answer on the calling thread; the
    // direct executor keeps the future stub's callbacks off a pool too (none of them blocks).
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort)
            .usePlaintext()
            .directExecutor()
            .build();
    ServerProcess started = new ServerProcess(server, channel, grpcPort, sipPort);
    try {
      // Our server's own listening socket first: another process on the port may answer too.
      Await.until(
          START_TIMEOUT,
          "the server answering SipGetSipStatus on gRPC port " + grpcPort,
          () ->
              !server.isAlive()
                  || (PortOwner.listensTcp(server.pid(), grpcPort) && answers(channel)));
      if (!server.isAlive()) {
        if (mayRetry && server.stderr().contains(PortOwner.IN_USE)) {
          started.close();
          log.info(
              "server: gRPC {} or SIP {} was taken before it bound; others", grpcPort, sipPort);
          return null;
        }
        throw server.failure("exited before it served");
      }
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      started.close();
      throw e;
    }
    return started;
  }

  public ManagedChannel channel() {
    return channel;
  }

  public long pid() {
    return process.pid();
  }

  /** The TCP port the server's gRPC listens on (127.0.0.1). */
  public int grpcPort() {
    return grpcPort;
  }

  /** The UDP port of the server's SIP (127.0.0.1). */
  public int sipPort() {
    return sipPort;
  }

  /** SIGKILL, as {@code kill -9}: nothing runs in the server after it; returns once it is gone. */
  public void kill9() throws InterruptedException {
    channel.shutdownNow();
    process.process().destroyForcibly().waitFor();
  }

  private static boolean answers(ManagedChannel channel) {
    try {
      SipGrpc.newBlockingStub(channel)
          .withDeadlineAfter(1, TimeUnit.SECONDS)
          .sipGetSipStatus(com.google.protobuf.Empty.getDefaultInstance());
      return true;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    process.close();
  }
}

package org.sipline.server.hardening;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sipline.api.sip.SipGrpc;
import org.sipline.core.testing.peers.FreePorts;

/**
 * {@code target/sipline.jar} as a child process on loopback and free ports, for tests that need
 * the real process: to kill it with SIGKILL, to restart it. Stopped by its PID.
 */
final class JarProcess implements AutoCloseable {
  private static final String READY = "serving ondewo.sip on";

  private final Process process;
  private final Path log;
  private final int grpcPort;
  private ManagedChannel channel;

  private JarProcess(Process process, Path log, int grpcPort) {
    this.process = process;
    this.log = log;
    this.grpcPort = grpcPort;
  }

  static JarProcess start(Path dir, String... args) throws IOException {
    Path jar = Path.of(System.getProperty("sipline.jar", "target/sipline.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run with `mvn verify`, which packages"
          + " it before the integration tests");
    }
    int grpcPort = FreePorts.tcpPort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString(), "serve", "--grpc-address", "127.0.0.1", "--grpc-port",
        Integer.toString(grpcPort), "--sip-address", "127.0.0.1", "--sip-port", "0"));
    command.addAll(List.of(args));
    Path log = dir.resolve("sipline-" + grpcPort + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    JarProcess process = new JarProcess(p, log, grpcPort);
    try {
      process.awaitLog(READY, Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return process;
  }

  synchronized SipGrpc.SipBlockingStub sip() {
    if (channel == null) {
      channel = Grpc.newChannelBuilder("127.0.0.1:" + grpcPort,
          InsecureChannelCredentials.create()).build();
    }
    return SipGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitLog(String text, Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    while (!log().contains(text)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("sipline exited with " + process.exitValue()
            + " before logging '" + text + "':\n" + log());
      }
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("sipline did not log '" + text + "' within " + timeout
            + ":\n" + log());
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** SIGTERM; returns how long the process took to exit, or null when it outlived the bound. */
  Duration terminate(Duration bound) throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  int grpcPort() {
    return grpcPort;
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is flushed. */
  void kill9() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
    }
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("sipline (pid " + process.pid() + ") survived SIGKILL");
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}

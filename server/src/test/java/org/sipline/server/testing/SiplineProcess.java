package org.sipline.server.testing;

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
import org.sipline.testing.peers.FreePorts;

/**
 * {@code java -jar server/target/sipline.jar serve …} as a child process on 127.0.0.1, the way an
 * operator runs it: gRPC on a free port, SIP on any free port, its log in a file of the test's
 * directory. For the tests that need the real process: to run it end to end, to stop it with
 * SIGTERM or SIGKILL, to restart it. {@link #close()} stops it by its PID (SIGTERM, then SIGKILL
 * after a bound).
 */
public final class SiplineProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final String READY = "serving ondewo.sip on";

  private final Process process;
  private final Path log;
  private final int grpcPort;
  private ManagedChannel channel;

  private SiplineProcess(Process process, Path log, int grpcPort) {
    this.process = process;
    this.log = log;
    this.grpcPort = grpcPort;
  }

  /** The jar failsafe built in {@code package}. */
  public static Path jar() {
    Path jar = Path.of(System.getProperty("sipline.jar", "target/sipline.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: run the tests with `mvn verify`, "
              + "which packages it before the integration tests");
    }
    return jar;
  }

  public static List<String> command(String... args) {
    return command(List.of(), args);
  }

  /** {@link #command(String...)} with {@code jvmArgs} for the child's JVM (before {@code -jar}). */
  public static List<String> command(List<String> jvmArgs, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The build passes JaCoCo's agent here, so that what the jar runs counts in the coverage.
    String buildJvmArgs = System.getProperty("sipline.child.jvmArgs", "").strip();
    if (!buildJvmArgs.isEmpty()) {
      command.addAll(List.of(buildJvmArgs.split("\\s+")));
    }
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Starts the server with loopback addresses and free ports plus {@code args}, and returns once it
   * logged that it serves.
   */
  public static SiplineProcess start(Path dir, String... args) throws IOException {
    return start(dir, 0, args);
  }

  /** {@link #start(Path, String...)} with SIP on {@code sipPort} (0: any free port). */
  public static SiplineProcess start(Path dir, int sipPort, String... args) throws IOException {
    return start(dir, List.of(), sipPort, args);
  }

  /**
   * {@link #start(Path, int, String...)} with {@code jvmArgs} for the child's JVM (the pjsip shim's
   * folder, say: {@link PjsipShim#jvmArgs()}).
   */
  public static SiplineProcess start(Path dir, List<String> jvmArgs, int sipPort, String... args)
      throws IOException {
    int grpcPort = FreePorts.tcpPort();
    List<String> command =
        command(
            jvmArgs,
            "serve",
            "--grpc-address",
            "127.0.0.1",
            "--grpc-port",
            String.valueOf(grpcPort),
            "--sip-address",
            "127.0.0.1",
            "--sip-port",
            String.valueOf(sipPort),
            "--hangup-timeout",
            "3s");
    command.addAll(List.of(args));
    Path log = dir.resolve("sipline-" + grpcPort + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SiplineProcess sipline = new SiplineProcess(process, log, grpcPort);
    try {
      sipline.awaitLog(READY, START_TIMEOUT);
    } catch (RuntimeException e) {
      sipline.close();
      throw e;
    }
    return sipline;
  }

  public String target() {
    return "127.0.0.1:" + grpcPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  public long pid() {
    return process.pid();
  }

  /** A plaintext channel to the server, closed with it. */
  public synchronized ManagedChannel channel() {
    if (channel == null) {
      channel = Grpc.newChannelBuilder(target(), InsecureChannelCredentials.create()).build();
    }
    return channel;
  }

  public SipGrpc.SipBlockingStub sip() {
    return SipGrpc.newBlockingStub(channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the log holds {@code text}; fails with the log if the process exits first. */
  public void awaitLog(String text, Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    while (!log().contains(text)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "sipline exited with "
                + process.exitValue()
                + " before logging '"
                + text
                + "':\n"
                + log());
      }
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException(
            "sipline did not log '" + text + "' within " + timeout + ":\n" + log());
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** Sends SIGTERM and waits for the exit; returns how long that took, or null if it did not. */
  public Duration terminate(Duration timeout) throws InterruptedException {
    Instant start = Instant.now();
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? Duration.between(start, Instant.now())
        : null;
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is flushed. */
  public void kill9() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
    }
    process.destroyForcibly();
    if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("sipline (pid " + process.pid() + ") survived SIGKILL");
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

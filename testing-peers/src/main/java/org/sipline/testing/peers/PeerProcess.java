package org.sipline.testing.peers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running peer program: started with its output in a log file of its own, stopped by its PID
 * (SIGTERM, then SIGKILL after a bound) together with the worker processes it forked.
 */
final class PeerProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerProcess.class);
  private static final int TAIL_LINES = 25;

  /** How long a peer gets to exit after SIGTERM, and then after SIGKILL. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Duration stopGrace;

  /**
   * The forked workers seen so far. Read by the shutdown hook's thread too. Kept because kamailio's
   * children are no longer its descendants once it has died.
   */
  private final CopyOnWriteArrayList<ProcessHandle> workers = new CopyOnWriteArrayList<>();

  private PeerProcess(String name, Process process, Path logFile, Duration stopGrace) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.stopGrace = stopGrace;
  }

  /**
   * Starts {@code command} in {@code workDir}, stdout and stderr together in {@code
   * workDir/<name>.log}.
   */
  static PeerProcess start(String name, List<String> command, Path workDir) {
    return start(name, command, workDir, STOP_GRACE);
  }

  /** As {@link #start(String, List, Path)}, with its own bound on each stop step. */
  static PeerProcess start(String name, List<String> command, Path workDir, Duration stopGrace) {
    Path logFile = workDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PeerException(
          name + " could not be started (" + String.join(" ", command) + ")", e);
    }
    PeerProcess peer = new PeerProcess(name, process, logFile, stopGrace);
    ShutdownReaper.register(peer);
    log.info("{} started, pid {}: {}", name, process.pid(), String.join(" ", command));
    return peer;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path logFile() {
    return logFile;
  }

  /** The exit code, or null while the process runs. */
  Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  /** Waits for the process to end by itself; null when it still runs after {@code timeout}. */
  Integer awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerException("interrupted while waiting for " + name + " to exit", e);
    }
    forgetIfExited();
    return process.exitValue();
  }

  /** Records the current worker processes so that {@link #close()} can stop them too. */
  void rememberWorkers() {
    process.descendants().forEach(workers::addIfAbsent);
  }

  /** Every process handle this peer is made of: the main process and the workers seen. */
  List<ProcessHandle> handles() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    all.addAll(workers);
    return all;
  }

  /** The last lines of the log, for failure messages. */
  String tail() {
    return tail(TAIL_LINES);
  }

  String tail(int lines) {
    List<String> all = readLog();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  List<String> readLog() {
    try {
      if (!Files.exists(logFile)) {
        return List.of();
      }
      return Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + logFile, e);
    }
  }

  /**
   * A failure naming what went wrong, how the process ended if it did, and its log tail: "kamailio
   * exited with 255 before it was ready: ...".
   */
  PeerException failure(String what) {
    Integer code = exitCode();
    String state = code == null ? "still running (pid " + pid() + ")" : "exited with " + code;
    return new PeerException(
        name + " " + what + "; " + state + "; log " + logFile + ":\n" + tail());
  }

  /**
   * Stops the process: SIGTERM, up to the stop grace ({@link #STOP_GRACE} by default) for it to
   * exit, then SIGKILL for every worker still alive and then for the process itself. Returns once
   * all of them have terminated; throws if one survives SIGKILL by another grace.
   */
  @Override
  public void close() {
    rememberWorkers();
    if (process.isAlive()) {
      log.info("{} (pid {}) stopping with SIGTERM", name, pid());
      process.destroy();
      if (awaitExit(stopGrace) == null) {
        log.warn("{} (pid {}) ignored SIGTERM for {}; sending SIGKILL", name, pid(), stopGrace);
      }
    }
    killWorkers();
    for (ProcessHandle worker : workers) {
      awaitTerminated(worker);
    }
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    if (awaitExit(stopGrace) == null) {
      throw new PeerException(
          name + " (pid " + pid() + ") still alive " + stopGrace + " after SIGKILL");
    }
    ShutdownReaper.unregister(this);
    log.info("{} (pid {}) stopped, exit code {}", name, pid(), exitCode());
  }

  /**
   * SIGKILL to whatever is still alive, workers first: while their parent lives it reaps them,
   * whereas an orphan is re-parented to PID 1, which on some machines never reaps it. Used by
   * close() and by the shutdown hook.
   */
  void killNow() {
    killWorkers();
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void killWorkers() {
    for (ProcessHandle worker : workers) {
      if (!ProcessStates.terminated(worker)) {
        worker.destroyForcibly();
      }
    }
  }

  /**
   * Waits for a killed worker to be reaped by its parent, so that killing the parent next leaves no
   * orphan; a worker still unreaped after the grace must at least have terminated.
   */
  private void awaitTerminated(ProcessHandle worker) {
    if (!Await.until(stopGrace, () -> !worker.isAlive()) && !ProcessStates.terminated(worker)) {
      throw new PeerException(
          name + " process " + worker.pid() + " still alive " + stopGrace + " after SIGKILL");
    }
  }

  private void forgetIfExited() {
    if (!process.isAlive() && workers.stream().allMatch(ProcessStates::terminated)) {
      ShutdownReaper.unregister(this);
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ")";
  }
}

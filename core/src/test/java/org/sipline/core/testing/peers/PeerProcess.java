package org.sipline.core.testing.peers;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  /**
   * The forked workers seen so far. Read by the shutdown hook's thread too. Kept because
   * kamailio's children are no longer its descendants once it has died.
   */
  private final CopyOnWriteArrayList<ProcessHandle> workers = new CopyOnWriteArrayList<>();

  private PeerProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} in {@code workDir}, stdout and stderr together in
   * {@code workDir/<name>.log}.
   */
  static PeerProcess start(String name, List<String> command, Path workDir) {
    Path logFile = workDir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PeerException(name + " could not be started (" + String.join(" ", command) + ")", e);
    }
    PeerProcess peer = new PeerProcess(name, process, logFile);
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
   * A failure naming what went wrong, how the process ended if it did, and its log tail:
   * "kamailio exited with 255 before it was ready: ...".
   */
  PeerException failure(String what) {
    Integer code = exitCode();
    String state = code == null ? "still running (pid " + pid() + ")" : "exited with " + code;
    return new PeerException(name + " " + what + "; " + state + "; log " + logFile + ":\n" + tail());
  }

  /**
   * Stops the process: SIGTERM, up to {@link #STOP_GRACE} for it to exit, then SIGKILL for it
   * and every worker still alive. Returns once all of them are gone or the second bound passed.
   */
  @Override
  public void close() {
    rememberWorkers();
    if (process.isAlive()) {
      log.info("{} (pid {}) stopping with SIGTERM", name, pid());
      process.destroy();
      if (awaitExit(STOP_GRACE) == null) {
        log.warn("{} (pid {}) ignored SIGTERM for {}; sending SIGKILL", name, pid(), STOP_GRACE);
      }
    }
    killNow();
    for (ProcessHandle handle : handles()) {
      awaitGone(handle);
    }
    ShutdownReaper.unregister(this);
    log.info("{} (pid {}) stopped, exit code {}", name, pid(), exitCode());
  }

  /** SIGKILL to whatever is still alive; used by close() and by the shutdown hook. */
  void killNow() {
    for (ProcessHandle handle : handles()) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
      }
    }
  }

  private void awaitGone(ProcessHandle handle) {
    try {
      handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new PeerException(name + " process " + handle.pid() + " still alive " + STOP_GRACE
          + " after SIGKILL");
    } catch (ExecutionException e) {
      throw new PeerException("waiting for " + name + " process " + handle.pid() + " to exit", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerException("interrupted while stopping " + name, e);
    }
  }

  private void forgetIfExited() {
    if (!process.isAlive() && workers.stream().noneMatch(ProcessHandle::isAlive)) {
      ShutdownReaper.unregister(this);
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ")";
  }
}

package org.sipline.benchmarks.pacing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.ChildProcess;

/**
 * The JVM under test: {@link CallLoad} in a process of its own, so that its CPU, heap and GC are
 * its alone. It sets its calls up, prints {@value CallLoad#READY}, streams until it reads {@value
 * CallLoad#STOP} on stdin, then writes its {@link LoadResult} and exits (which also writes its JFR
 * recording).
 */
public final class LoadProcess implements AutoCloseable {
  private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(2);

  private final ChildProcess process;
  private final Path resultFile;
  private final Path jfrFile;

  private LoadProcess(ChildProcess process, Path resultFile, Path jfrFile) {
    this.process = process;
    this.resultFile = resultFile;
    this.jfrFile = jfrFile;
  }

  /**
   * Starts the load as {@code options} say; returns at once (see {@link #awaitReady}).
   *
   * @param sipPort the line stack's SIP port (0: any free port)
   * @param metrics "on", "noscrape" or "hook" to bind the server's meters in the load ({@link
   *     LineLoad#start}), "off" or null not to
   * @param media the calls' codec and SRTP (the media stack takes only plain PCMU)
   */
  static LoadProcess start(
      Path dir,
      PacingOptions options,
      int calls,
      int sinkPort,
      int registrarPort,
      int calleePort,
      int sipPort,
      Path wav,
      String metrics,
      MediaVariant media)
      throws IOException {
    List<String> extra =
        new ArrayList<>(
            List.of(
                "--realtime",
                options.realtime(),
                "--sip-port",
                Integer.toString(sipPort),
                "--backend",
                options.backend()));
    if (options.labelsMedia()) {
      extra.addAll(List.of("--codec", media.codec(), "--srtp", media.srtp()));
    }
    List<String> jvm = new ArrayList<>(options.jvmFlags());
    if (options.backend().equals("pjsip")) {
      jvm.add("-Djna.library.path=" + options.pjsipNative());
    }
    if (metrics != null) {
      extra.addAll(List.of("--metrics", metrics));
    }
    if (options.spinClock()) {
      extra.addAll(List.of("--clock", "spin"));
    }
    return start(
        dir,
        jvm,
        options.jfrSettings(),
        options.stack(),
        extra,
        calls,
        sinkPort,
        registrarPort,
        calleePort,
        wav);
  }

  /**
   * Starts the load; returns at once (see {@link #awaitReady}).
   *
   * @param jvmFlags GC and heap flags of the load JVM
   * @param jfrSettings "default" or "profile"
   * @param stack "line" or "media" (see {@link CallLoad})
   * @param sinkPort where the media stack sends RTP
   * @param registrarPort the registrar's port for the line stack (0 for the media stack)
   * @param calleePort the callee's port for the line stack (0 for the media stack)
   */
  public static LoadProcess start(
      Path dir,
      List<String> jvmFlags,
      String jfrSettings,
      String stack,
      int calls,
      int sinkPort,
      int registrarPort,
      int calleePort,
      Path wav)
      throws IOException {
    return start(
        dir,
        jvmFlags,
        jfrSettings,
        stack,
        List.of(),
        calls,
        sinkPort,
        registrarPort,
        calleePort,
        wav);
  }

  private static LoadProcess start(
      Path dir,
      List<String> jvmFlags,
      String jfrSettings,
      String stack,
      List<String> extraArgs,
      int calls,
      int sinkPort,
      int registrarPort,
      int calleePort,
      Path wav)
      throws IOException {
    Path result = dir.resolve("load-result.properties");
    Path jfr = dir.resolve("load.jfr");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add(
        "-XX:StartFlightRecording=filename=" + jfr + ",dumponexit=true,settings=" + jfrSettings);
    command.add("-Xlog:gc*:file=" + dir.resolve("gc.log") + ":uptime,level,tags");
    command.add("-cp");
    command.add(absoluteClassPath());
    command.add(CallLoad.class.getName());
    command.addAll(
        List.of(
            "--stack",
            stack,
            "--calls",
            Integer.toString(calls),
            "--wav",
            wav.toString(),
            "--result",
            result.toString()));
    command.addAll(extraArgs);
    if (stack.equals("media")) {
      command.addAll(List.of("--sink-port", Integer.toString(sinkPort)));
    } else {
      command.addAll(
          List.of(
              "--registrar",
              "127.0.0.1:" + registrarPort,
              "--callee",
              "sip:callee@127.0.0.1:" + calleePort));
    }
    return new LoadProcess(ChildProcess.start("load", command, dir), result, jfr);
  }

  /** This JVM's class path with every entry absolute: the load runs in another directory. */
  static String absoluteClassPath() {
    StringBuilder sb = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        sb.append(sb.length() == 0 ? "" : File.pathSeparator)
            .append(Path.of(entry).toAbsolutePath());
      }
    }
    return sb.toString();
  }

  public long pid() {
    return process.pid();
  }

  /** Waits until every call is connected and playing. */
  public void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
    Await.until(
        timeout,
        "the load's " + CallLoad.READY,
        () -> !process.isAlive() || process.stdout().contains(CallLoad.READY));
    if (!process.isAlive()) {
      throw process.failure("exited before it was ready");
    }
  }

  /** Tells the load to hang up and report; returns its result. */
  public LoadResult stop() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw process.failure("died during the measurement");
    }
    OutputStream stdin = process.process().getOutputStream();
    stdin.write((CallLoad.STOP + "\n").getBytes(StandardCharsets.US_ASCII));
    stdin.flush();
    int exit = process.awaitExit(EXIT_TIMEOUT);
    if (exit != 0) {
      throw process.failure(
          exit == -1 ? "did not exit within " + EXIT_TIMEOUT : "exited with " + exit);
    }
    return LoadResult.read(resultFile);
  }

  Path jfrFile() {
    return jfrFile;
  }

  @Override
  public void close() {
    process.close();
  }
}

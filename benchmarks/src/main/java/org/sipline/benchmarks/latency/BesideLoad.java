package org.sipline.benchmarks.latency;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.sipline.benchmarks.audio.SignalWav;
import org.sipline.benchmarks.harness.SippPeer;
import org.sipline.benchmarks.pacing.LoadProcess;

/**
 * N calls streaming from a load process of their own while the latencies are measured, so that the
 * figures say what a busy machine does to them: the pacing harness's load (core lines on one
 * jainsip backend), with a SIPp callee of its own and the run's registrar.
 */
public final class BesideLoad implements AutoCloseable {
  private static final Duration SETUP = Duration.ofMinutes(5);
  private static final List<String> JVM = List.of("-XX:+UseZGC", "-Xms2g", "-Xmx2g");

  private final SippPeer callee;
  private final LoadProcess load;

  private BesideLoad(SippPeer callee, LoadProcess load) {
    this.callee = callee;
    this.load = load;
  }

  /** Starts the load and returns once every call plays. */
  public static BesideLoad start(Path dir, int calls, int sinkPort, int registrarPort)
      throws Exception {
    Files.createDirectories(dir);
    Path wav = dir.resolve("speech-8k-mono.wav");
    Files.write(wav, SignalWav.speechLike(8000, 1, 30_000));
    SippPeer callee = SippPeer.callee(dir, "callee-beside", sinkPort);
    LoadProcess load = null;
    try {
      load =
          LoadProcess.start(
              dir, JVM, "default", "line", calls, sinkPort, registrarPort, callee.port(), wav);
      load.awaitReady(SETUP.plus(Duration.ofMillis(200L * calls)));
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      if (load != null) {
        load.close();
      }
      callee.close();
      throw e;
    }
    return new BesideLoad(callee, load);
  }

  /** The load process, for its CPU time. */
  public long pid() {
    return load.pid();
  }

  /** Ends the calls; the load reports and exits. */
  public void stop() throws Exception {
    load.stop();
  }

  @Override
  public void close() {
    load.close();
    callee.close();
  }
}

package org.sipline.benchmarks.pacing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.sipline.backend.jainsip.media.MediaClock;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.AudioFrames;

/**
 * The process under test: N calls streaming the harness's WAV from one JVM, at the stack level the
 * harness chose (see {@link Load}). Run by {@link LoadProcess}; talks to it through stdout ({@value
 * #READY}), stdin ({@value #STOP}) and a {@link LoadResult} file.
 *
 * <p>Live heap ({@link LiveHeap}) and the resident set are measured at three points: the stack up
 * with no call, every call connected and silent, every call playing. All three come before the
 * harness's warm-up, so the collections the measurement needs never fall into the pacing window.
 */
public final class CallLoad {
  static final String READY = "LOAD-READY";
  static final String STOP = "STOP";

  private CallLoad() {}

  public static void main(String[] args) throws Exception {
    LoadArgs a;
    try {
      a = LoadArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    byte[] wav = Files.readAllBytes(a.wav());
    WavAudio audio = WavReader.read(wav);
    if (audio.sampleRate() != AudioFrames.SAMPLE_RATE) {
      throw new IllegalArgumentException(
          a.wav() + " is " + audio.sampleRate() + " Hz; the load plays 8 kHz files");
    }
    LoadResult result;
    try (Load load = open(a, audio.samples(), wav)) {
      long baseline = heapAfterGc(a, "baseline");
      long t0 = System.nanoTime();
      int connected = load.connect(a.calls());
      long setupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      long heapConnected = heapAfterGc(a, "connected");
      load.play();
      long heapPlaying = heapAfterGc(a, "playing");
      System.out.println(READY + " calls=" + connected + " setup_ms=" + setupMillis);
      System.out.flush();
      awaitStop();
      result =
          new LoadResult(
              a.calls(),
              connected,
              setupMillis,
              baseline,
              heapConnected,
              heapPlaying,
              audio.samples().length);
    }
    result.write(a.result());
    // A SIP stack may leave non-daemon threads behind; the measurement is complete.
    System.exit(0);
  }

  private static Load open(LoadArgs a, short[] clip, byte[] wav) throws IOException {
    return switch (a.stack()) {
      case "media" ->
          MediaLoad.start(
              a.sinkPort(),
              clip,
              a.spinClock() ? new SpinClock() : MediaClock.system(),
              a.pacerRealtime());
      case "line" ->
          LineLoad.start(
              a.backend(),
              a.registrar(),
              a.callee(),
              wav,
              a.realtime(),
              a.sipPort(),
              a.result().resolveSibling("setup-ms.txt"),
              a.metrics(),
              a.codec(),
              a.srtp());
      default -> throw new IllegalArgumentException("unknown stack " + a.stack());
    };
  }

  /**
   * Live heap bytes now; the class histogram goes next to the result file as {@code
   * heap-<point>.txt}, so that a per-call cost can be taken apart class by class.
   */
  private static long heapAfterGc(LoadArgs a, String point) throws IOException {
    // One collection can leave garbage (e.g. behind finalizable or reference objects) that only
    // the next finds unreachable; the histogram then collects once more and counts.
    System.gc();
    System.gc();
    String histogram = LiveHeap.histogram();
    Files.writeString(a.result().resolveSibling("heap-" + point + ".txt"), histogram);
    // The resident set too: the pjsip backend keeps its calls' state in native memory, which the
    // heap does not show.
    Files.writeString(a.result().resolveSibling("rss-" + point + ".txt"), residentKib() + "\n");
    return LiveHeap.bytes(histogram);
  }

  /** This process's resident set (VmRSS), KiB. */
  private static long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }

  private static void awaitStop() throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.trim().equals(STOP)) {
        return;
      }
    }
    // The harness went away without saying STOP: end as if it had.
  }
}

package org.sipline.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * baresip (Debian baresip-core) calling a far end and playing a WAV file into the call with its
 * {@code aufile} source: the reference the sipline streams are compared with. Configured as
 * FACTS.md found works here: bound to 127.0.0.1, G.711 only, no registration, no jitter buffer.
 * baresip hangs up by itself about a second after the file ends, so the file must outlast the
 * measurement.
 */
public final class BaresipPeer implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private final ChildProcess process;

  private BaresipPeer(ChildProcess process) {
    this.process = process;
  }

  /** Whether baresip is installed here. */
  public static boolean installed() {
    return Files.isExecutable(Path.of("/usr/bin/baresip"))
        || (System.getenv("PATH") != null
            && List.of(System.getenv("PATH").split(":")).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, "baresip"))));
  }

  /**
   * Starts baresip, dials {@code calleeUri} and returns once the call is established.
   *
   * @param wav the 8 kHz mono 16-bit WAV it plays
   */
  public static BaresipPeer call(Path dir, String calleeUri, Path wav)
      throws IOException, InterruptedException, TimeoutException {
    Path conf = Files.createDirectories(dir.resolve("baresip"));
    int sipPort = SippPeer.freeUdpPort();
    Files.writeString(
        conf.resolve("config"),
        String.join(
            "\n",
            "poll_method\t\tepoll",
            "sip_listen\t\t127.0.0.1:" + sipPort,
            "net_interface\t\t127.0.0.1",
            "audio_player\t\taufile,/dev/null",
            "audio_source\t\taufile," + wav.toAbsolutePath(),
            "audio_alert\t\taufile,/dev/null",
            "ausrc_srate\t\t8000",
            "ausrc_channels\t\t1",
            "jitter_buffer_delay\t0-0",
            "module_path\t\t/usr/lib/baresip/modules",
            "module\t\t\tg711.so",
            "module\t\t\taufile.so",
            "module\t\t\tmenu.so",
            "module\t\t\taccount.so",
            "module\t\t\tuuid.so",
            ""),
        StandardCharsets.UTF_8);
    Files.writeString(
        conf.resolve("accounts"),
        "<sip:baresip@127.0.0.1>;regint=0;audio_codecs=PCMU\n",
        StandardCharsets.UTF_8);
    Files.writeString(conf.resolve("contacts"), "", StandardCharsets.UTF_8);
    ChildProcess baresip =
        ChildProcess.start(
            "baresip", List.of("baresip", "-f", conf.toString(), "-e", "/dial " + calleeUri), dir);
    try {
      Await.until(
          CONNECT_TIMEOUT,
          "baresip's call to " + calleeUri + " established",
          () -> !baresip.isAlive() || baresip.stdout().contains("Call established"));
      if (!baresip.isAlive()) {
        throw baresip.failure("exited before its call was established");
      }
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      baresip.close();
      throw e;
    }
    return new BaresipPeer(baresip);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.close();
  }
}

package org.sipline.server.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.media.v1.AudioIn;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.core.audio.WavReader;
import org.sipline.testing.TestWavs;

/**
 * Ctrl-C during {@code ctl say} and {@code ctl listen}, for real: the command runs in a JVM of its
 * own and gets SIGTERM, which runs the same shutdown hooks as SIGINT. say must clear its utterance
 * and report what was played; listen must leave a complete WAV.
 */
class CtlInterruptTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ScriptedMedia media = new ScriptedMedia();
  private Server server;
  private Process process;

  @TempDir Path dir;

  @BeforeEach
  void startServer() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(media)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
    server.shutdownNow();
  }

  /** {@code sipline ctl ARGS --target …} in a JVM of its own, with this test's class path. */
  private Process ctl(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.sipline.server.Main",
                "ctl"));
    command.addAll(List.of(args));
    command.addAll(List.of("--target", "127.0.0.1:" + server.getPort()));
    process =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile())
            .start();
    return process;
  }

  private String output() throws Exception {
    return Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
  }

  @Test
  void ctrlCDuringSayClearsTheUtteranceAndReportsWhatWasPlayed() throws Exception {
    Path wav = Files.write(dir.resolve("long.wav"), TestWavs.sine(8000, 1, 440, 10_000, 0.5));
    Process p = ctl("say", wav.toString());
    await().atMost(WAIT).until(() -> media.audio.size() > 8000);
    p.destroy();
    assertThat(p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    assertThat(media.requests)
        .map(ConverseRequest.class::cast)
        .filteredOn(r -> r.getKindCase() == ConverseRequest.KindCase.CLEAR)
        .singleElement()
        .satisfies(r -> assertThat(r.getClear().getThroughUtterance()).isEqualTo("ctl-say"));
    assertThat(output()).containsPattern("cleared: \\d+ ms of 10000 ms played \\(\\d+ samples\\)");
  }

  @Test
  void ctrlCDuringListenLeavesACompleteWav() throws Exception {
    List<ConverseEvent> events = new ArrayList<>();
    events.add(ScriptedMedia.opened(1));
    for (int i = 0; i < 50; i++) {
      events.add(
          ConverseEvent.newBuilder()
              .setAudioIn(
                  AudioIn.newBuilder()
                      .setPosition(160L * i)
                      .setData(ByteString.copyFrom(new byte[320])))
              .build());
    }
    media.listenEvents = events;
    media.listenStaysOpen = true;
    Path wav = dir.resolve("caller.wav");
    Process p = ctl("listen", "--out", wav.toString());
    await().atMost(WAIT).until(() -> output().contains("recording call call-1"));
    // The 50 frames were sent before the output line's event was even read; let them land.
    await().atMost(WAIT).until(() -> Files.size(wav) >= 44 + 50 * 320);
    p.destroy();
    assertThat(p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    assertThat(WavReader.read(Files.readAllBytes(wav)).samples()).hasSize(50 * 160);
    assertThat(output()).contains("wrote 1.00 s (8000 samples) to " + wav);
  }
}

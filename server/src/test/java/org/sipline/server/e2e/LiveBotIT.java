package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.audio.Resampler;
import org.sipline.core.audio.WavReader;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.TestSignals;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.PcmWav;

/**
 * The example bot ({@code examples/live-bot/echo_bot.py}) as the README runs it: it registers alice
 * and answers bob's call, hears his phrase and says it back, and bob's recording holds it.
 */
class LiveBotIT {
  private static final String PYTHON = "/usr/bin/python3";
  private static final Path EXAMPLE = Path.of("..", "examples", "live-bot");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int RATE = 8000;

  @TempDir Path dir;

  private CallScene scene;
  private Process bot;

  @AfterEach
  void stop() {
    if (bot != null) {
      bot.destroyForcibly();
    }
    if (scene != null) {
      scene.close();
    }
  }

  private static int run(Path log, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
    return p.exitValue();
  }

  @Test
  void theEchoBotSaysTheCallersPhraseBack() throws Exception {
    Path stubs = dir.resolve("stubs");
    Path generated = dir.resolve("generate.log");
    assertThat(run(generated, EXAMPLE.resolve("generate.sh").toString(), stubs.toString()))
        .as("generate.sh:\n%s", Files.readString(generated))
        .isZero();

    Path spoken = dir.resolve("espeak.wav");
    assertThat(
            run(
                dir.resolve("espeak.log"),
                "espeak-ng",
                "-w",
                spoken.toString(),
                "Hello sipline, can you hear me?"))
        .isZero();
    var audio = WavReader.read(Files.readAllBytes(spoken));
    short[] phrase = Resampler.toCodecRate(audio.sampleRate()).resample(audio.samples());
    // Half a second of quiet first, then the phrase, then long enough to hear it said back.
    Path source = dir.resolve("bob-says.wav");
    PcmWav.write(
        source,
        RATE,
        TestSignals.concat(TestSignals.silence(RATE / 2), phrase, TestSignals.silence(6 * RATE)));

    scene = CallScene.start(dir, o -> o.withAudioSource(source), "bob");
    Kamailio kamailio = scene.kamailio();
    Baresip bob = scene.phone("bob");
    SiplineProcess sipline = scene.sipline();

    Path botLog = dir.resolve("bot.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                PYTHON,
                EXAMPLE.resolve("echo_bot.py").toString(),
                "--target",
                sipline.target(),
                "--account",
                "alice@" + kamailio.hostPort(),
                "--password",
                "alice-pw",
                "--once")
            .redirectErrorStream(true)
            .redirectOutput(botLog.toFile());
    pb.environment().put("LIVE_BOT_STUBS", stubs.toString());
    bot = pb.start();
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () -> Files.readString(botLog).contains("waiting for the next call") || !bot.isAlive());
    assertThat(bot.isAlive()).as("the bot:\n%s", Files.readString(botLog)).isTrue();
    sipline.awaitLog("Converse stream opened on the next call", WAIT);

    bob.dial(kamailio.uri("alice"));
    List<Path> heard = bob.awaitRecordingComplete(WAIT);
    assertThat(bot.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(botLog, StandardCharsets.UTF_8);
    assertThat(bot.exitValue()).as("the bot:\n%s\nsipline:\n%s", log, sipline.log()).isZero();
    assertThat(log).contains("call ", "caller speaks", "heard ", "saying it back");

    short[] recording = WavReader.read(Files.readAllBytes(heard.get(heard.size() - 1))).samples();
    assertThat(AudioCompare.bestMatch(phrase, recording, RATE, Duration.ofSeconds(6)).correlation())
        .as("bob heard his phrase said back")
        .isGreaterThanOrEqualTo(0.9);
  }
}

package org.sipline.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.audio.WavReader;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.TestSignals;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.PcmWav;

/**
 * Runs the example as a user would, against real programs: a Kamailio registrar with digest auth
 * (also the line's outbound proxy) and a baresip that answers and records what it hears.
 */
class EmbeddedCallTest {
  private static final int RATE = 8000;

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void registersCallsPlaysThePromptAndHangsUpPrintingEveryStatus() throws IOException {
    short[] prompt = TestSignals.noise(7, RATE * 3 / 2, 8000);
    Path promptFile = dir.resolve("prompt.wav");
    PcmWav.write(promptFile, RATE, prompt);
    Path passwordFile = Files.writeString(dir.resolve("password"), "line-secret\n");
    try (Kamailio kamailio =
            Kamailio.start(KamailioOptions.defaults().withUser("line", "line-secret"));
        Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("bob"))) {
      int exit =
          run(
              "--registrar", kamailio.hostPort(),
              "--user", "line",
              "--password-file", passwordFile.toString(),
              "--callee", "bob@127.0.0.1:" + phone.port(),
              "--prompt", promptFile.toString());

      assertThat(exit).as("stderr: %s", err).isZero();
      assertThat(statusTypes())
          .containsExactly(
              "REGISTERED",
              "SESSION_STARTED",
              "READY",
              "OUTGOING_CALL_INITIATED",
              "OUTGOING_CALL_CONNECTED",
              "MICROPHONE_WAV_FILES_PLAYED",
              "SOFT_HANGUP_INITIATED",
              "OUTGOING_CALL_FINISHED",
              "READY",
              "SESSION_ENDED",
              "NO_SESSION");
      // The far end heard the prompt.
      phone.awaitEvent("CALL_CLOSED", Duration.ofSeconds(10));
      List<Path> recordings = phone.awaitRecordingComplete(Duration.ofSeconds(10));
      short[] heard =
          WavReader.read(Files.readAllBytes(recordings.get(recordings.size() - 1))).samples();
      AudioCompare.Match match = AudioCompare.bestMatch(prompt, heard, RATE, Duration.ofSeconds(3));
      assertThat(match.correlation()).as("%s", match).isGreaterThanOrEqualTo(0.9);
    }
  }

  @Test
  void aWrongPasswordStopsAtRegistrationSayingWhy() throws IOException {
    Path promptFile = dir.resolve("prompt.wav");
    PcmWav.write(promptFile, RATE, TestSignals.tone(440, RATE, RATE / 2, 8000));
    Path passwordFile = Files.writeString(dir.resolve("password"), "wrong\n");
    try (Kamailio kamailio =
        Kamailio.start(KamailioOptions.defaults().withUser("line", "line-secret"))) {
      int exit =
          run(
              "--registrar",
              kamailio.hostPort(),
              "--user",
              "line",
              "--password-file",
              passwordFile.toString(),
              "--callee",
              "bob@127.0.0.1:5999",
              "--prompt",
              promptFile.toString(),
              "--timeout",
              "20");

      assertThat(exit).isEqualTo(1);
      assertThat(statusTypes()).containsExactly("SESSION_REGISTRATION_FAILED");
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("not registered: ").contains("403");
    }
  }

  @Test
  void aBadCommandLineIsExitTwoNamingTheOption() {
    assertThat(run("--registrar", "127.0.0.1:5060", "--user")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--user: needs a value", "usage:");
  }

  @Test
  void anUnreadablePromptIsExitTwoNamingTheFile() throws IOException {
    Path passwordFile = Files.writeString(dir.resolve("password"), "x");
    int exit =
        run(
            "--registrar", "127.0.0.1:5060",
            "--user", "line",
            "--password-file", passwordFile.toString(),
            "--callee", "bob@127.0.0.1",
            "--prompt", dir.resolve("missing.wav").toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--prompt: cannot read");
  }

  private int run(String... args) {
    return EmbeddedCall.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The second column of every line the example printed: the status types, in order. */
  private List<String> statusTypes() {
    return out.toString(StandardCharsets.UTF_8).lines().map(l -> l.split("\\s+")[1]).toList();
  }
}

package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.core.audio.WavReader;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.TestSignals;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.PcmWav;

/** {@code sipline ctl listen}, {@code say} and {@code dtmf} from the shell on a real call. */
class CtlMediaIT {
  private static final Duration WAIT = LineClient.WAIT;

  @TempDir Path dir;

  private CallScene scene;
  private Process listen;

  @AfterEach
  void stop() {
    if (listen != null) {
      listen.destroyForcibly();
    }
    if (scene != null) {
      scene.close();
    }
  }

  @Test
  void listenRecordsSayPlaysAndDtmfSendsOnACallFromTheShell() throws Exception {
    scene = CallScene.start(dir, o -> o.withSilence(Duration.ofSeconds(60)), "bob");
    Kamailio kamailio = scene.kamailio();
    SiplineProcess sipline = scene.sipline();
    LineClient line = new LineClient(sipline::sip);
    String alice = "alice@" + kamailio.hostPort();
    line.register(alice, "alice-pw");
    line.startSession(alice);
    int mark = line.mark();
    line.call("bob");
    line.awaitAfter(mark, StatusType.OUTGOING_CALL_CONNECTED);

    Path recording = dir.resolve("caller.wav");
    Path listenOut = dir.resolve("listen.out");
    List<String> command =
        new ArrayList<>(
            SiplineProcess.command(
                "ctl", "listen", "--out", recording.toString(), "--target", sipline.target()));
    listen =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(listenOut.toFile())
            .start();
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                Files.readString(listenOut, StandardCharsets.UTF_8).contains("recording call")
                    || !listen.isAlive());

    Path tone = dir.resolve("tone.wav");
    PcmWav.write(tone, 8000, TestSignals.tone(440, 8000, 8000, 8000));
    Cli.Result say = Cli.run(dir, "ctl", "say", tone.toString(), "--target", sipline.target());
    assertThat(say.exitCode()).as(say.out() + say.err()).isZero();
    assertThat(say.out()).contains("played 1000 ms");

    Cli.Result dtmf = Cli.run(dir, "ctl", "dtmf", "12#", "--target", sipline.target());
    assertThat(dtmf.exitCode()).as(dtmf.out() + dtmf.err()).isZero();
    assertThat(dtmf.out().split("\\R")).hasSize(3).allMatch(l -> l.startsWith("sent "));

    line.hangup(false);
    assertThat(listen.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String listened = Files.readString(listenOut, StandardCharsets.UTF_8);
    assertThat(listen.exitValue()).as(listened).isZero();
    assertThat(listened).contains("wrote ");
    // bob sent silence all along: the WAV is complete and as long as the call lasted.
    assertThat(WavReader.read(Files.readAllBytes(recording)).samples().length).isGreaterThan(8000);
  }
}

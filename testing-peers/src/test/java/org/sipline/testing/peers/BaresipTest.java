package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavReader;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.TestSignals;

/** Proves the baresip fixture: calls, events, recordings, registration at Kamailio, stopping. */
class BaresipTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int RATE = 8000;

  @TempDir Path dir;

  @Test
  void calleeAnswersByItselfAndRecordsWhatTheCallerSent() throws Exception {
    short[] sent = TestSignals.noise(42, 2 * RATE, 8000);
    Path source = dir.resolve("noise.wav");
    PcmWav.write(source, RATE, sent);

    try (Baresip bob = Baresip.start(BaresipOptions.defaults().withUser("bob"));
        Baresip alice =
            Baresip.start(BaresipOptions.defaults().withUser("alice").withAudioSource(source))) {
      alice.dial(bob.sipUri());

      BaresipEvent established = bob.awaitEvent("CALL_ESTABLISHED", WAIT);
      assertThat(established.direction()).isEqualTo("incoming");
      assertThat(established.peerUri()).isEqualTo(alice.sipUri());
      // alice's file ends after 2 s and baresip hangs up by itself.
      assertThat(alice.awaitEvent("AUDIO_ERROR", WAIT).param()).contains("end of file");
      bob.awaitEvent("CALL_CLOSED", WAIT);

      List<Path> recordings = bob.awaitRecordingComplete(WAIT);
      assertThat(recordings).hasSize(1);
      WavAudio received = WavReader.read(Files.readAllBytes(recordings.get(0)));
      assertThat(received.sampleRate()).isEqualTo(RATE);
      AudioCompare.Match match =
          AudioCompare.bestMatch(sent, received.samples(), RATE, Duration.ofMillis(500));
      assertThat(match.correlation()).as("%s", match).isGreaterThan(0.9);
    }
  }

  @Test
  void digitsSentWithSndcodeArriveAtTheOtherPhoneInOrder() {
    try (Baresip bob = Baresip.start(BaresipOptions.defaults().withUser("bob"));
        Baresip alice = Baresip.start(BaresipOptions.defaults().withUser("alice"))) {
      alice.dial(bob.sipUri());
      bob.awaitEvent("CALL_ESTABLISHED", WAIT);
      alice.awaitEvent("CALL_ESTABLISHED", WAIT);
      alice.sendDigits("159#");
      Await.poll(WAIT, () -> bob.digitsReceived().length() >= 4 ? Boolean.TRUE : null);
      assertThat(bob.digitsReceived()).isEqualTo("159#");
      alice.hangup();
    }
  }

  @Test
  void manualAnswerWaitsForAccept() {
    try (Baresip bob =
            Baresip.start(BaresipOptions.defaults().withUser("bob").withAutoAnswer(false));
        Baresip alice = Baresip.start(BaresipOptions.defaults().withUser("alice"))) {
      alice.dial(bob.sipUri());
      bob.awaitEvent("CALL_INCOMING", WAIT);
      assertThat(bob.events()).noneMatch(e -> e.is("CALL_ESTABLISHED"));

      bob.accept();

      alice.awaitEvent("CALL_ESTABLISHED", WAIT);
      alice.hangup();
      bob.awaitEvent("CALL_CLOSED", WAIT);
    }
  }

  @Test
  void registeredPhonesCallEachOtherThroughKamailio() {
    try (Kamailio kamailio =
            Kamailio.start(
                KamailioOptions.defaults()
                    .withUser("alice", "alice-pw")
                    .withUser("bob", "bob-pw"));
        Baresip bob =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("bob")
                    .withRegistrar(kamailio.hostPort(), "bob-pw"));
        Baresip alice =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("alice")
                    .withRegistrar(kamailio.hostPort(), "alice-pw"))) {
      assertThat(kamailio.contacts("bob")).isNotEmpty();
      assertThat(bob.events()).anyMatch(e -> e.is("REGISTER_OK"));

      alice.dial(kamailio.uri("bob"));

      bob.awaitEvent("CALL_ESTABLISHED", WAIT);
      alice.awaitEvent("CALL_ESTABLISHED", WAIT);
      // RTP from alice has reached bob: his recording will not be empty.
      bob.awaitEvent("CALL_RTPESTAB", WAIT);
      // INVITE from a local user: challenged with 407, then sent again with credentials.
      assertThat(
              kamailio.receivedRequests().stream()
                  .filter(r -> r.is("INVITE") && "alice".equals(r.fromUser())))
          .hasSize(2);
      alice.hangup();
      bob.awaitEvent("CALL_CLOSED", WAIT);
      assertThat(bob.awaitRecordingComplete(WAIT)).hasSize(1);
    }
  }

  @Test
  void transfereeFollowsAReferToTheTarget() {
    try (Baresip carol = Baresip.start(BaresipOptions.defaults().withUser("carol"));
        Baresip bob = Baresip.start(BaresipOptions.defaults().withUser("bob"));
        Baresip alice = Baresip.start(BaresipOptions.defaults().withUser("alice"))) {
      alice.dial(bob.sipUri());
      bob.awaitEvent("CALL_ESTABLISHED", WAIT);

      BaresipResponse transfer = bob.command("transfer", carol.sipUri());

      assertThat(transfer.ok()).as("%s", transfer).isTrue();
      assertThat(alice.awaitEvent("TRANSFER", WAIT).param()).isEqualTo(carol.sipUri());
      BaresipEvent atCarol = carol.awaitEvent("CALL_ESTABLISHED", WAIT);
      assertThat(atCarol.peerUri()).isEqualTo(alice.sipUri());
    }
  }

  @Test
  void wrongPasswordFailsTheStartWithTheRegistrarsAnswer() {
    try (Kamailio kamailio = Kamailio.start(KamailioOptions.defaults().withUser("bob", "bob-pw"))) {
      BaresipOptions wrong =
          BaresipOptions.defaults().withUser("bob").withRegistrar(kamailio.hostPort(), "not-it");

      assertThatThrownBy(() -> Baresip.start(wrong))
          .isInstanceOf(PeerException.class)
          .hasMessageContaining("registration at " + kamailio.hostPort() + " failed")
          .hasMessageContaining("403");
      assertThat(kamailio.isRegistered("bob")).isFalse();
    }
  }

  @Test
  void audioSourceInAnotherFormatIsRefused() {
    Path wideband = dir.resolve("wideband.wav");
    PcmWav.write(wideband, 16000, TestSignals.tone(440, 16000, 1600, 1000));

    assertThatThrownBy(() -> Baresip.start(BaresipOptions.defaults().withAudioSource(wideband)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16000 Hz")
        .hasMessageContaining("only mono 16-bit PCM at 8000 Hz");
  }

  @Test
  void closeLeavesNoBaresipProcess() {
    Baresip phone = Baresip.start(BaresipOptions.defaults());
    List<ProcessHandle> processes = phone.processes();
    assertThat(processes).allMatch(ProcessHandle::isAlive);

    phone.close();

    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    assertThat(Files.exists(phone.runDir())).isFalse();
  }

  @Test
  void closingTwiceStopsOnceAndThenDoesNothing() {
    Baresip phone = Baresip.start(BaresipOptions.defaults());
    List<ProcessHandle> processes = phone.processes();
    phone.close();

    assertThatCode(phone::close).doesNotThrowAnyException();
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
  }
}

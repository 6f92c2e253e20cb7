package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.core.audio.WavReader;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.TestSignals;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.PcmWav;

/**
 * The whole ONDEWO flow against the jar as a process with the jainsip backend: alice (sipline)
 * registers at Kamailio, calls bob (baresip), plays a prompt bob hears, mutes, unmutes, transfers
 * bob to carol (another baresip), calls bob again and hangs up, ends the session.
 */
class CallFlowIT {
  private static final Duration WAIT = LineClient.WAIT;

  @TempDir Path dir;

  private CallScene scene;
  private Kamailio kamailio;
  private Baresip bob;
  private Baresip carol;
  private SiplineProcess sipline;

  @BeforeEach
  void peers() throws Exception {
    scene = CallScene.start(dir, "bob", "carol");
    kamailio = scene.kamailio();
    bob = scene.phone("bob");
    carol = scene.phone("carol");
    sipline = scene.sipline();
  }

  @AfterEach
  void stop() {
    if (scene != null) {
      scene.close();
    }
  }

  @Test
  void registerSessionCallPlayMuteUnmuteTransferHangupEnd() throws Exception {
    LineClient line = new LineClient(sipline::sip);
    String alice = "alice@" + kamailio.hostPort();

    assertThat(line.register(alice, "alice-pw").getStatusType()).isEqualTo(StatusType.REGISTERED);
    kamailio.awaitRegistered("alice", WAIT);
    assertThat(line.startSession(alice).getStatusType()).isEqualTo(StatusType.SESSION_STARTED);

    int mark = line.mark();
    SipStatus initiated = line.call("bob");
    assertThat(initiated.getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
    assertThat(initiated.getCalleeId()).startsWith("bob@");
    line.awaitAfter(mark, StatusType.OUTGOING_CALL_CONNECTED);
    bob.awaitEvent("CALL_ESTABLISHED", WAIT);

    short[] prompt = TestSignals.noise(42, 8000, 8000);
    Path promptWav = dir.resolve("prompt.wav");
    PcmWav.write(promptWav, 8000, prompt);
    assertThat(line.play(Files.readAllBytes(promptWav)).getStatusType())
        .isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
    assertThat(line.mute().getStatusType()).isEqualTo(StatusType.MICROPHONE_MUTED);
    assertThat(line.unmute().getStatusType()).isEqualTo(StatusType.MICROPHONE_UNMUTED);

    mark = line.mark();
    SipStatus transfer = line.transfer("carol");
    assertThat(transfer.getStatusType()).isEqualTo(StatusType.TRANSFER_CALL_INITIATED);
    line.awaitAfter(mark, StatusType.OUTGOING_CALL_FINISHED);
    carol.awaitEvent("CALL_ESTABLISHED", WAIT);
    line.awaitAfter(mark, StatusType.READY);

    carol.hangup(); // ends bob's call with carol, so all of bob's recordings are complete
    List<Path> heard = bob.awaitRecordingComplete(WAIT);
    short[] recorded = WavReader.read(Files.readAllBytes(heard.get(0))).samples();
    assertThat(AudioCompare.bestMatch(prompt, recorded, 8000, Duration.ofSeconds(8)).correlation())
        .as("bob heard the prompt")
        .isGreaterThan(0.9);

    mark = line.mark();
    line.call("bob");
    line.awaitAfter(mark, StatusType.OUTGOING_CALL_CONNECTED);
    assertThat(line.hangup(false).getStatusType()).isEqualTo(StatusType.SOFT_HANGUP_INITIATED);
    line.awaitAfter(mark, StatusType.OUTGOING_CALL_FINISHED);

    assertThat(line.endSession().getStatusType()).isEqualTo(StatusType.SESSION_ENDED);
    kamailio.awaitUnregistered("alice", WAIT);
    assertThat(sipline.log()).contains("OUTGOING_CALL_CONNECTED", "TRANSFER_CALL_INITIATED");
  }
}

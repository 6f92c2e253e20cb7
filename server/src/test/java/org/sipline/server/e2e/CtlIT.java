package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.TestSignals;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.PcmWav;

/** {@code sipline ctl} from the shell against the running jar: a call, and its exit codes. */
class CtlIT {
  @TempDir Path dir;

  private CallScene scene;
  private Kamailio kamailio;
  private SiplineProcess sipline;

  @AfterEach
  void stop() {
    if (scene != null) {
      scene.close();
    }
  }

  private Cli.Result ctl(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("ctl", "--target", sipline.target()));
    all.addAll(List.of(args));
    return Cli.run(dir, all.toArray(String[]::new));
  }

  @Test
  void aCallFromTheShellWithExitCodesThatTellSuccessFromRefusal() throws Exception {
    scene = CallScene.start(dir, "bob");
    kamailio = scene.kamailio();
    sipline = scene.sipline();
    String alice = "alice@" + kamailio.hostPort();
    Path prompt = dir.resolve("prompt.wav");
    PcmWav.write(prompt, 8000, TestSignals.tone(440, 8000, 2400, 8000));

    Cli.Result register = ctl("register", alice, "--password", "alice-pw");
    assertThat(register.exitCode()).as(register.err()).isZero();
    assertThat(register.out()).contains("REGISTERED account=" + alice);
    assertThat(ctl("session", "start", alice).exitCode()).isZero();

    Cli.Result call = ctl("call", "bob", "--wait");
    assertThat(call.exitCode()).as(call.err()).isZero();
    assertThat(call.out()).contains("OUTGOING_CALL_INITIATED", "OUTGOING_CALL_CONNECTED");
    assertThat(ctl("play", prompt.toString()).out()).contains("MICROPHONE_WAV_FILES_PLAYED");
    assertThat(ctl("hangup").exitCode()).isZero();

    Cli.Result noCall = ctl("mute");
    assertThat(noCall.exitCode()).isEqualTo(1);
    assertThat(noCall.out()).contains("NO_ONGOING_CALL");
    Cli.Result malformed = ctl("call", "");
    assertThat(malformed.exitCode()).isEqualTo(1);
    assertThat(malformed.err()).contains("INVALID_ARGUMENT: callee_id");

    Cli.Result history = ctl("--json", "history");
    assertThat(history.exitCode()).isZero();
    List<StatusType> types = new ArrayList<>();
    for (String line : history.out().split("\\R")) {
      SipStatus.Builder status = SipStatus.newBuilder();
      JsonFormat.parser().merge(line, status);
      types.add(status.getStatusType());
    }
    assertThat(types)
        .containsSubsequence(
            StatusType.REGISTERED,
            StatusType.SESSION_STARTED,
            StatusType.OUTGOING_CALL_CONNECTED,
            StatusType.MICROPHONE_WAV_FILES_PLAYED,
            StatusType.SOFT_HANGUP_INITIATED,
            StatusType.OUTGOING_CALL_FINISHED);

    assertThat(ctl("session", "end").exitCode()).isZero();
    kamailio.awaitUnregistered("alice", LineClient.WAIT);
  }

  @Test
  void anUnreachableServerExitsThree() throws Exception {
    String closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = "127.0.0.1:" + s.getLocalPort();
    }
    Cli.Result result = Cli.run(dir, "ctl", "--target", closed, "status");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("cannot reach " + closed);
  }
}

package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.ReceivedRequest;

/**
 * SIGTERM during a call: the peer gets a BYE, Kamailio an un-REGISTER, the process exits in 5 s.
 */
class ShutdownIT {
  private static final Duration WAIT = LineClient.WAIT;

  @TempDir Path dir;

  private CallScene scene;
  private Kamailio kamailio;
  private Baresip bob;
  private SiplineProcess sipline;

  @AfterEach
  void stop() {
    if (scene != null) {
      scene.close();
    }
  }

  @Test
  void sigtermDuringACallSendsByeAndUnregistersAndExitsWithinFiveSeconds() throws Exception {
    scene = CallScene.start(dir, "bob");
    kamailio = scene.kamailio();
    bob = scene.phone("bob");
    sipline = scene.sipline();
    LineClient line = new LineClient(sipline::sip);
    String alice = "alice@" + kamailio.hostPort();
    line.register(alice, "alice-pw");
    line.startSession(alice);
    int mark = line.mark();
    line.call("bob");
    line.awaitAfter(mark, StatusType.OUTGOING_CALL_CONNECTED);
    bob.awaitEvent("CALL_ESTABLISHED", WAIT);
    kamailio.awaitRegistered("alice", WAIT);

    Duration exit = sipline.terminate(Duration.ofSeconds(10));

    assertThat(exit)
        .as("process exited after SIGTERM")
        .isNotNull()
        .isLessThan(Duration.ofSeconds(5));
    // bob would send silence for a minute; the call closes at once only because of our BYE,
    // which the record-routing Kamailio saw on its way to bob.
    bob.awaitEvent("CALL_CLOSED", Duration.ofSeconds(5));
    ReceivedRequest bye =
        kamailio.awaitRequest(r -> r.is("BYE") && "bob".equals(r.toUser()), Duration.ofSeconds(5));
    assertThat(bye.fromUser()).isEqualTo("alice");
    ReceivedRequest unregister =
        kamailio.awaitRequest(
            r ->
                r.is("REGISTER")
                    && "alice".equals(r.fromUser())
                    && r.expires().equals(OptionalInt.of(0)),
            WAIT);
    assertThat(unregister.callId()).isNotBlank();
    kamailio.awaitUnregistered("alice", WAIT);
    assertThat(sipline.log()).contains("Stopped");
  }
}

package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;

/** Stopping the server hangs up, un-registers, and is bounded even when the network is not. */
class ServerStopTest {

  @Test
  void stopHangsUpTheCallAndUnregisters() throws Exception {
    RunningServer running = RunningServer.start();
    FakeCall call = running.connectCall();

    running.close();

    assertThat(call.state()).isEqualTo(FakeCall.State.ENDED);
    assertThat(running.backend.registrarLog()).endsWith("REGISTER alice@example.org expires=0");
  }

  @Test
  void stopIsBoundedWhenTheFarEndNeverAnswers() throws Exception {
    RunningServer running = RunningServer.start(b -> b.hangupTimeout(Duration.ofMillis(500)));
    running.backend.script("silent", FakeScript.neverAnswer());
    running
        .sip()
        .sipRegisterAccount(
            SipRegisterAccountRequest.newBuilder().setAccountName("alice@example.org").build());
    running
        .sip()
        .sipStartSession(
            SipStartSessionRequest.newBuilder().setAccountName("alice@example.org").build());
    running
        .sip()
        .sipStartCall(SipStartCallRequest.newBuilder().setCalleeId("silent@example.org").build());
    running.backend.silentRegistrar(true);

    Instant start = Instant.now();
    running.close();
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(4));
  }
}

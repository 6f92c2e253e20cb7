package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;

/**
 * The far end of a call sends a REFER in the dialog (asking the line to call somewhere else — toll
 * fraud through a transfer): it is refused, no call is placed, and the call goes on.
 */
class FarEndReferTest {
  @Test
  void aReferFromTheFarEndIsRefusedAndTheCallGoesOn() throws Exception {
    try (FakeRegistrar registrar = new FakeRegistrar();
        TalkingFarEnd far = new TalkingFarEnd();
        BusyFarEnd premium = new BusyFarEnd();
        SipBackend backend = new JainSipBackendProvider().create(BackendConfig.loopback().build());
        Line line = Line.open(backend, LineConfig.defaults())) {
      String account = "bot@127.0.0.1:" + registrar.port();
      line.registerAccount(account, "secret", "", "").get();
      line.startSession(account, 0).get();
      line.startCall("far@127.0.0.1:" + far.sipPort(), Map.of()).get();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> line.status().type() == StatusType.OUTGOING_CALL_CONNECTED);
      int historyBefore = line.history().size();

      far.sendRefer("sip:premium@127.0.0.1:" + premium.port());
      await().atMost(Duration.ofSeconds(5)).until(() -> !far.responses().isEmpty());

      assertThat(far.responses())
          .as("the REFER's final response")
          .hasSize(1)
          .allMatch(code -> code == 603 || code == 403);
      assertThat(premium.received()).as("requests the line sent to the REFER's target").isEmpty();
      assertThat(line.status().type()).isEqualTo(StatusType.OUTGOING_CALL_CONNECTED);
      assertThat(line.history().subList(historyBefore, line.history().size()))
          .extracting(LineStatus::type)
          .as("statuses after the REFER")
          .isEmpty();
      HardeningRun.figure("FarEndReferTest", "referAnswer", far.responses());
      line.endCall(false).get();
    }
  }
}

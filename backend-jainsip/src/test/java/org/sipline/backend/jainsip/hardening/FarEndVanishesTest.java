package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
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
 * A far end that answers, talks, then vanishes (no BYE, no more RTP): the line ends the call after
 * the configured media timeout, with a status that says why, and is READY again.
 */
class FarEndVanishesTest {
  private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(2);

  @Test
  void theCallEndsAfterTheMediaTimeoutWithAClearStatusAndTheLineIsReadyAgain() throws Exception {
    try (FakeRegistrar registrar = new FakeRegistrar();
        VanishingFarEnd far = new VanishingFarEnd(Duration.ofSeconds(1));
        SipBackend backend =
            new JainSipBackendProvider()
                .create(BackendConfig.loopback().mediaTimeout(MEDIA_TIMEOUT).build());
        Line line = Line.open(backend, LineConfig.defaults())) {
      String account = "bot@127.0.0.1:" + registrar.port();
      assertThat(line.registerAccount(account, "secret", "", "").get().type())
          .isEqualTo(StatusType.REGISTERED);
      line.startSession(account, 0).get();
      line.startCall("far@127.0.0.1:" + far.sipPort(), Map.of()).get();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> line.status().type() == StatusType.OUTGOING_CALL_CONNECTED);

      await()
          .atMost(MEDIA_TIMEOUT.plusSeconds(10))
          .until(
              () ->
                  far.vanishedNanos() != 0
                      && types(line).contains(StatusType.OUTGOING_CALL_FINISHED));
      long endedNanos = System.nanoTime();
      LineStatus finished =
          line.history().stream()
              .filter(s -> s.type() == StatusType.OUTGOING_CALL_FINISHED)
              .findFirst()
              .orElseThrow();
      double afterSilence = (endedNanos - far.vanishedNanos()) / 1e9;

      assertThat(far.rtpSent()).as("RTP the far end sent before vanishing").isGreaterThan(30);
      assertThat(finished.description()).as("why the call ended").containsIgnoringCase("RTP");
      assertThat(afterSilence)
          .as("seconds from the far end's last RTP to the call's end")
          .isGreaterThanOrEqualTo(MEDIA_TIMEOUT.toMillis() / 1000.0 - 0.1)
          .isLessThan(MEDIA_TIMEOUT.toMillis() / 1000.0 + 2.0);
      await().atMost(Duration.ofSeconds(5)).until(() -> line.status().type() == StatusType.READY);
      HardeningRun.figure("FarEndVanishesTest", "mediaTimeoutSeconds", MEDIA_TIMEOUT.toSeconds());
      HardeningRun.figure("FarEndVanishesTest", "endedSecondsAfterLastRtp", afterSilence);
      HardeningRun.figure(
          "FarEndVanishesTest", "status", finished.type() + " \"" + finished.description() + "\"");
    }
  }

  private static List<StatusType> types(Line line) {
    return line.history().stream().map(LineStatus::type).toList();
  }
}

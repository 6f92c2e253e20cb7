package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.FreePorts;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * A registrar that never answers makes SipRegisterAccount fail within the configured bound; a
 * registrar that goes away and comes back (a Kamailio restart, its location table empty) is
 * registered with again by the refresh, without anyone asking.
 */
class RegistrarFaultsTest {
  @Test
  void aSilentRegistrarGivesSessionRegistrationFailedWithinTheRegisterTimeout() throws Exception {
    Duration bound = Duration.ofSeconds(2);
    try (FakeRegistrar registrar = new FakeRegistrar();
        SipBackend backend =
            new JainSipBackendProvider()
                .create(BackendConfig.loopback().registerTimeout(bound).build());
        Line line = Line.open(backend, LineConfig.defaults())) {
      registrar.silent(true);
      long start = System.nanoTime();
      LineStatus status =
          line.registerAccount("bot@127.0.0.1:" + registrar.port(), "secret", "", "").get();
      double seconds = (System.nanoTime() - start) / 1e9;

      assertThat(status.type()).isEqualTo(StatusType.SESSION_REGISTRATION_FAILED);
      assertThat(registrar.registers()).as("REGISTERs the registrar got").isPositive();
      assertThat(seconds)
          .as("seconds to the failure")
          .isGreaterThanOrEqualTo(bound.toMillis() / 1000.0 - 0.1)
          .isLessThan(bound.toMillis() / 1000.0 + 1.5);
      assertThat(status.description()).as("what the status says").isNotBlank();
      HardeningRun.figure("RegistrarFaultsTest", "silentRegistrar.boundSeconds", bound.toSeconds());
      HardeningRun.figure("RegistrarFaultsTest", "silentRegistrar.failedAfterSeconds", seconds);
      HardeningRun.figure(
          "RegistrarFaultsTest",
          "silentRegistrar.status",
          status.type() + " \"" + status.description() + "\"");
    }
  }

  @Test
  void aRestartedRegistrarIsRegisteredWithAgainByItself() throws Exception {
    int port = FreePorts.sipPort();
    KamailioOptions options =
        KamailioOptions.defaults().withPort(port).withUser("bot", "restart-secret");
    List<String> events = new CopyOnWriteArrayList<>();
    SipEventListener listener =
        new SipEventListener() {
          @Override
          public void registered(SipAccount account, int expiresSeconds) {
            events.add("registered " + expiresSeconds);
          }

          @Override
          public void registrationFailed(SipAccount account, SipFailure failure) {
            events.add("failed " + failure.describe());
          }
        };
    Kamailio first = Kamailio.start(options);
    boolean firstStopped = false;
    try (SipBackend backend =
        new JainSipBackendProvider()
            .create(
                BackendConfig.loopback()
                    .registerTimeout(Duration.ofSeconds(2))
                    .options(Map.of("register.expires", "6"))
                    .build())) {
      backend.register(
          new AccountSpec(SipUri.of("bot", "127.0.0.1", port), "restart-secret", "bot", null),
          listener);
      first.awaitRegistered("bot", Duration.ofSeconds(10));
      first.close();
      firstStopped = true;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> events.stream().anyMatch(e -> e.startsWith("failed")));
      int eventsAtRestart = events.size();

      long restart = System.nanoTime();
      try (Kamailio second = Kamailio.start(options)) {
        assertThat(second.isRegistered("bot")).as("a fresh location table").isFalse();
        second.awaitRegistered("bot", Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - restart) / 1e9;
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    events.subList(eventsAtRestart, events.size()).stream()
                        .anyMatch(e -> e.startsWith("registered")));
        HardeningRun.figure(
            "RegistrarFaultsTest", "registrarRestart.recoveredAfterSeconds", seconds);
        HardeningRun.figure("RegistrarFaultsTest", "registrarRestart.events", events);
      }
    } finally {
      // Kamailio.close() throws when called twice (its run directory is gone).
      if (!firstStopped) {
        first.close();
      }
    }
  }
}

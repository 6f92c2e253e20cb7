package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.StatusType;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;

/**
 * Events a backend delivers after the line has closed (the un-REGISTER's answer, when the backend
 * closes after the line, as a server does on shutdown) are dropped quietly: the SPI's listener
 * contract is to return, and a listener that throws is logged as broken by the backend.
 */
class ClosedLineEventsTest {
  @Test
  void eventsAfterTheLineClosedDoNotMakeItsListenerThrow() throws Exception {
    try (LogCapture log = LogCapture.start()) {
      try (FakeRegistrar registrar = new FakeRegistrar();
          SipBackend backend =
              new JainSipBackendProvider().create(BackendConfig.loopback().build())) {
        Line line = Line.open(backend, LineConfig.defaults());
        String account = "bot@127.0.0.1:" + registrar.port();
        assertThat(line.registerAccount(account, "secret", "", "").get().type())
            .isEqualTo(StatusType.REGISTERED);
        line.close();
        // The backend closes after the line: it un-REGISTERs and reports unregistered to the
        // closed line's listener.
      }
      assertThat(log.text())
          .contains("jainsip backend closed")
          .doesNotContain("SipEventListener.unregistered threw")
          .doesNotContain("RejectedExecutionException");
    }
  }
}

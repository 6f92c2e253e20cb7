package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * Canary passwords go through everything a password goes through — a registration with digest
 * authentication, a wrong password refused 403, a malformed password refused as an argument, the
 * session's end — with every log line captured and the history journaled: no canary appears in a
 * log line, a status, the journal, an exception message, or an object's toString.
 */
class CanaryPasswordTest {
  @TempDir Path dir;

  @Test
  void aPasswordNeverShowsInLogsHistoryJournalOrErrors() throws Exception {
    String good = "canary-ok-" + UUID.randomUUID().toString().substring(0, 12);
    String wrong = "canary-bad-" + UUID.randomUUID().toString().substring(0, 12);
    String malformed = "canary-cr-" + UUID.randomUUID().toString().substring(0, 12);
    Path journal = dir.resolve("history.jsonl");
    List<String> seen = new ArrayList<>();
    try (LogCapture log = LogCapture.start();
        Kamailio kamailio =
            Kamailio.start(KamailioOptions.defaults().withUser("bot", good).withUser("eve", good));
        SipBackend backend =
            new JainSipBackendProvider()
                .create(BackendConfig.loopback().registerTimeout(Duration.ofSeconds(3)).build())) {
      try (Line line = Line.open(backend, LineConfig.builder().journal(journal).build())) {
        String bot = "bot@" + kamailio.hostPort();
        LineStatus ok = line.registerAccount(bot, good, "", "").get();
        assertThat(ok.type()).isEqualTo(StatusType.REGISTERED);
        LineStatus refused =
            line.registerAccount("eve@" + kamailio.hostPort(), wrong, "", "").get();
        assertThat(refused.type()).isEqualTo(StatusType.SESSION_REGISTRATION_FAILED);
        assertThatThrownBy(() -> line.registerAccount(bot, malformed + "\r\n", "", "").get())
            .isInstanceOf(ExecutionException.class)
            .satisfies(e -> seen.add(String.valueOf(e.getCause())));
        line.startSession(bot, 0).get();
        line.endSession().get();
        for (LineStatus s : line.history()) {
          seen.add(s.toString());
        }
      }
      AccountSpec spec =
          new AccountSpec(SipUri.of("bot", "127.0.0.1", kamailio.port()), good, "bot", null);
      seen.add(spec.toString());
      seen.add(Files.readString(journal));
      seen.add(log.text());
    }

    assertThat(seen.get(seen.size() - 1)).as("the log saw the registrations").contains("REGISTER");
    for (String canary : List.of(good, wrong, malformed)) {
      for (String text : seen) {
        assertThat(text).as("where %s must not be", canary).doesNotContain(canary);
      }
    }
    HardeningRun.figure("CanaryPasswordTest", "textsSearched", seen.size());
    HardeningRun.figure("CanaryPasswordTest", "logChars", seen.get(seen.size() - 1).length());
  }
}

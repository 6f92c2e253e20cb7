package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.spi.BackendConfig;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * No ghost calls after a crash on pjsip (issue 17): a JVM running a pjsip backend under a line with
 * a journal calls baresip and is killed with SIGKILL mid-call ({@link GhostCallChild}); baresip
 * still holds the call. A pjsip backend started on the same journal sends baresip the BYE built
 * from the journaled dialog within 5 s, the line's history says so, and once the account is
 * registered again Kamailio holds only the new process's contact (the dead one's was removed).
 */
class PjsipGhostCallTest {
  private static final Duration BOUND = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void aCallWhoseProcessWasKilledIsHungUpAfterTheRestartAndNoStaleContactStays() throws Exception {
    NativeShimAvailable.assume();
    Path journal = dir.resolve("history.jsonl");
    try (Kamailio kamailio =
            Kamailio.start(KamailioOptions.defaults().withUser("alice", "alice-pw"));
        Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("ghosted"))) {
      String alice = "alice@" + kamailio.hostPort();
      String callee = "sip:" + phone.user() + "@127.0.0.1:" + phone.port();
      Process child = startChild(journal, alice, "alice-pw", callee);
      int deadPort;
      try {
        deadPort = awaitConnected(child);
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
      } finally {
        child.destroyForcibly(); // SIGKILL: no BYE, no un-REGISTER
        child.waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(kamailio.contacts("alice")).hasSize(1).allMatch(c -> c.contains(":" + deadPort));
      assertThat(Files.readString(journal.resolveSibling("history.jsonl+sip")))
          .contains("\"kind\":\"dialog\"");

      Instant launched = Instant.now();
      try (PjsipBackend backend =
              (PjsipBackend) new PjsipBackendProvider().create(BackendConfig.loopback().build());
          Line line = Line.open(backend, LineConfig.builder().journal(journal).build())) {
        try {
          phone.awaitEvent("CALL_CLOSED", BOUND);
        } catch (RuntimeException e) {
          throw new AssertionError(
              "baresip got no BYE; the line's history: "
                  + line.history().stream().map(LineStatus::description).toList()
                  + "\njournal:\n"
                  + Files.readString(journal.resolveSibling("history.jsonl+sip")),
              e);
        }
        System.out.println(
            "FIGURE PjsipGhostCallTest byeAfterLaunchMillis = "
                + Duration.between(launched, Instant.now()).toMillis());
        LineStatus outcome = awaitHistory(line, "left by the previous process: BYE");
        assertThat(outcome.description())
            .startsWith("ended call ")
            .endsWith(
                " left by the previous process: BYE to 127.0.0.1:"
                    + phone.port()
                    + " answered 200 OK");

        // Registered again: the dead process's binding goes, only ours stays.
        LineStatus registered =
            line.registerAccount(alice, "alice-pw", "", "").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(registered.type()).isEqualTo(StatusType.REGISTERED);
        Awaitility.await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(kamailio.contacts("alice"))
                        .hasSize(1)
                        .allMatch(c -> c.contains(":" + backend.sipPort())));
      }
    }
  }

  private Process startChild(Path journal, String account, String password, String callee)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Djna.library.path=" + System.getProperty("jna.library.path"));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add(GhostCallChild.class.getName());
    command.add(journal.toString());
    command.add(account);
    command.add(password);
    command.add(callee);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .start();
  }

  /** The child's SIP port once it says its call is connected. */
  private static int awaitConnected(Process child) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String lineText;
    // readLine ends at the child's exit too: a child that fails says why and exits.
    while ((lineText = out.readLine()) != null) {
      seen.append(lineText).append('\n');
      if (lineText.startsWith("CONNECTED ")) {
        return Integer.parseInt(lineText.substring("CONNECTED ".length()).strip());
      }
    }
    throw new AssertionError("the child exited before its call connected:\n" + seen);
  }

  private static LineStatus awaitHistory(Line line, String text) {
    return Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                line.history().stream()
                    .filter(s -> s.description().contains(text))
                    .findFirst()
                    .orElse(null),
            s -> s != null);
  }
}

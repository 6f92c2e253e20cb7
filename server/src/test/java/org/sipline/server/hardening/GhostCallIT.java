package org.sipline.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.PjsipShim;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.FreePorts;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * No ghost calls after a crash (issue 17): the server is killed with SIGKILL mid-call and started
 * again on the same journal. The far end — a SIPp UAS that waits for the BYE, or baresip — gets a
 * BYE within 5 s of the restarted server serving, the history says so, and Kamailio's location
 * table keeps no contact of the dead process once the account is registered again. Each case runs
 * on both backends; the pjsip one needs the pjsip shim built (skipped without it, as in CI).
 */
class GhostCallIT {
  private static final Duration BOUND = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  /** {@code sipline.jar serve --backend backend --journal journal}, SIP on {@code sipPort}. */
  private SiplineProcess start(String backend, int sipPort, Path journal) throws IOException {
    List<String> jvm = backend.equals("pjsip") ? PjsipShim.jvmArgs() : List.of();
    return SiplineProcess.start(
        dir, jvm, sipPort, "--backend", backend, "--journal", journal.toString());
  }

  private static void register(SiplineProcess sipline, String account, String password) {
    assertThat(
            sipline
                .sip()
                .sipRegisterAccount(
                    SipRegisterAccountRequest.newBuilder()
                        .setAccountName(account)
                        .setPassword(password)
                        .build())
                .getStatusType())
        .isEqualTo(StatusType.REGISTERED);
  }

  private static void callAndAwaitConnected(SiplineProcess sipline, String account, String callee) {
    sipline
        .sip()
        .sipStartSession(SipStartSessionRequest.newBuilder().setAccountName(account).build());
    sipline.sip().sipStartCall(SipStartCallRequest.newBuilder().setCalleeId(callee).build());
    await()
        .atMost(WAIT)
        .until(
            () ->
                sipline.sip().sipGetSipStatus(Empty.getDefaultInstance()).getStatusType()
                    == StatusType.OUTGOING_CALL_CONNECTED);
  }

  private static SipStatus awaitOrphanOutcome(SiplineProcess sipline) {
    try {
      return outcome(sipline);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "no orphan outcome; history "
              + sipline
                  .sip()
                  .sipGetSipStatusHistory(Empty.getDefaultInstance())
                  .getStatusHistoryList()
                  .stream()
                  .map(SipStatus::getDescription)
                  .toList()
              + "\nlog:\n"
              + sipline.log(),
          e);
    }
  }

  private static SipStatus outcome(SiplineProcess sipline) {
    return await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                sipline
                    .sip()
                    .sipGetSipStatusHistory(Empty.getDefaultInstance())
                    .getStatusHistoryList()
                    .stream()
                    .filter(s -> s.getDescription().contains("left by the previous process: BYE"))
                    .findFirst()
                    .orElse(null),
            s -> s != null);
  }

  /**
   * SIPp sends every message of a call to the address the call's first message came from, not to
   * the Via of the request it answers (RFC 3261 §18.2.2): its 200 to the BYE reaches only a process
   * on the dead one's SIP port. So both processes take the same port here, as an operator's on 5060
   * would.
   */
  @ParameterizedTest
  @ValueSource(strings = {"jainsip", "pjsip"})
  void aSippCallKilledMidwayGetsItsByeAfterTheRestart(String backend) throws Exception {
    Path journal = dir.resolve("history.jsonl");
    try (Kamailio kamailio =
            Kamailio.start(KamailioOptions.defaults().withUser("alice", "alice-pw"));
        Sipp far =
            Sipp.uas(
                SippScenario.resource("uas-answer.xml"),
                SippOptions.defaults().withTimeout(Duration.ofMinutes(2)))) {
      String alice = "alice@" + kamailio.hostPort();
      int sipPort = FreePorts.sipPort();
      SiplineProcess first = start(backend, sipPort, journal);
      try {
        register(first, alice, "alice-pw");
        callAndAwaitConnected(first, alice, "sipp@" + far.hostPort());
        first.kill9();
      } finally {
        first.close();
      }
      assertThat(far.isRunning()).as("SIPp still holds the call, waiting for a BYE").isTrue();

      Instant launched = Instant.now();
      try (SiplineProcess second = start(backend, sipPort, journal)) {
        Instant serving = Instant.now();
        // uas-answer.xml ends with BYE → 200: it succeeds only once the ghost got its BYE.
        far.awaitSuccess(BOUND);
        Instant byeDone = Instant.now();
        SipStatus outcome = awaitOrphanOutcome(second);
        assertThat(outcome.getDescription())
            .startsWith("ended call ")
            .endsWith(
                " left by the previous process: BYE to " + far.hostPort() + " answered 200 OK");
        assertThat(outcome.getStatusType()).isEqualTo(StatusType.NO_SESSION);
        System.out.println(
            "FIGURE GhostCallIT "
                + backend
                + " sippByeAfterServingMillis = "
                + Duration.between(serving, byeDone).toMillis());
        System.out.println(
            "FIGURE GhostCallIT "
                + backend
                + " sippByeAfterLaunchMillis = "
                + Duration.between(launched, byeDone).toMillis());
      }
    }
  }

  /**
   * baresip answers the BYE wherever its Via says, so the restarted process may take any port: its
   * Contact then differs from the dead one's, which Kamailio must not keep.
   */
  @ParameterizedTest
  @ValueSource(strings = {"jainsip", "pjsip"})
  void aBaresipCallKilledMidwayIsHungUpAndKamailioKeepsNoStaleContact(String backend)
      throws Exception {
    Path journal = dir.resolve("baresip.jsonl");
    try (Kamailio kamailio = Kamailio.start(KamailioOptions.defaults().withUser("bot", "bot-pw"));
        Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("billed"))) {
      String bot = "bot@" + kamailio.hostPort();
      List<String> deadContacts;
      SiplineProcess first = start(backend, 0, journal);
      try {
        register(first, bot, "bot-pw");
        deadContacts = kamailio.contacts("bot");
        callAndAwaitConnected(first, bot, "billed@127.0.0.1:" + phone.port());
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
        first.kill9();
      } finally {
        first.close();
      }
      Instant launched = Instant.now();
      try (SiplineProcess second = start(backend, 0, journal)) {
        Instant serving = Instant.now();
        phone.awaitEvent("CALL_CLOSED", BOUND);
        Instant closed = Instant.now();
        assertThat(awaitOrphanOutcome(second).getDescription()).endsWith(" answered 200 OK");

        // The dead process's binding: Kamailio challenges an un-REGISTER without credentials,
        // so it goes once the account is registered again with its password.
        register(second, bot, "bot-pw");
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(kamailio.contacts("bot"))
                        .as("the location table after the restart")
                        .hasSize(1)
                        .doesNotContainAnyElementsOf(deadContacts));
        System.out.println(
            "FIGURE GhostCallIT "
                + backend
                + " baresipClosedAfterServingMillis = "
                + Duration.between(serving, closed).toMillis());
        System.out.println(
            "FIGURE GhostCallIT "
                + backend
                + " baresipClosedAfterLaunchMillis = "
                + Duration.between(launched, closed).toMillis());
      }
    }
  }
}

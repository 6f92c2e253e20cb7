package org.sipline.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * The server process killed with SIGKILL in the middle of a call, then started again on the same
 * journal: its status history is back, complete — every status it had reported before the kill, in
 * order, with the same facts and timestamps.
 */
class KillNineJournalIT {
  @TempDir Path dir;

  @Test
  void afterKillNineMidCallTheRestartedServerHasTheWholeHistoryFromItsJournal() throws Exception {
    Path journal = dir.resolve("history.jsonl");
    List<SipStatus> before;
    try (Kamailio kamailio =
            Kamailio.start(KamailioOptions.defaults().withUser("alice", "alice-pw"));
        Sipp far =
            Sipp.uas(
                SippScenario.resource("uas-answer.xml"),
                SippOptions.defaults().withTimeout(Duration.ofMinutes(2)))) {
      SiplineProcess first =
          SiplineProcess.start(dir, "--backend", "jainsip", "--journal", journal.toString());
      try {
        String alice = "alice@" + kamailio.hostPort();
        assertThat(
                first
                    .sip()
                    .sipRegisterAccount(
                        SipRegisterAccountRequest.newBuilder()
                            .setAccountName(alice)
                            .setPassword("alice-pw")
                            .build())
                    .getStatusType())
            .isEqualTo(StatusType.REGISTERED);
        first
            .sip()
            .sipStartSession(SipStartSessionRequest.newBuilder().setAccountName(alice).build());
        first
            .sip()
            .sipStartCall(
                SipStartCallRequest.newBuilder()
                    .setCalleeId("sipp@" + far.hostPort())
                    .putHeaders("X-Case", "kill-9")
                    .build());
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    first.sip().sipGetSipStatus(Empty.getDefaultInstance()).getStatusType()
                        == StatusType.OUTGOING_CALL_CONNECTED);
        first.sip().sipMute(Empty.getDefaultInstance());
        first.sip().sipUnMute(Empty.getDefaultInstance());
        before =
            first.sip().sipGetSipStatusHistory(Empty.getDefaultInstance()).getStatusHistoryList();
        first.kill9();
      } finally {
        first.close();
      }
    }
    long journaled = Files.readAllLines(journal).stream().filter(l -> !l.isBlank()).count();

    try (SiplineProcess second =
        SiplineProcess.start(dir, "--backend", "jainsip", "--journal", journal.toString())) {
      List<SipStatus> after =
          second.sip().sipGetSipStatusHistory(Empty.getDefaultInstance()).getStatusHistoryList();
      assertThat(before)
          .extracting(SipStatus::getStatusType)
          .contains(StatusType.OUTGOING_CALL_CONNECTED, StatusType.MICROPHONE_UNMUTED);
      assertThat(after.size())
          .as("history after the restart")
          .isGreaterThanOrEqualTo(before.size());
      assertThat(after.subList(0, before.size()))
          .as("the history before the kill")
          .isEqualTo(before);
      System.out.println("FIGURE KillNineJournalIT statusesBeforeKill = " + before.size());
      System.out.println("FIGURE KillNineJournalIT journalLines = " + journaled);
      System.out.println("FIGURE KillNineJournalIT statusesAfterRestart = " + after.size());
    }
  }
}

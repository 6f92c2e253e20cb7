package org.sipline.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.records.v1.CallRecord;
import org.sipline.api.records.v1.CallRecordsGrpc;
import org.sipline.api.records.v1.Direction;
import org.sipline.api.records.v1.Ending;
import org.sipline.api.records.v1.ListCallRecordsRequest;
import org.sipline.api.records.v1.Side;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * The call record of a call torn by a real kill -9: {@code sipline.jar} is killed by its PID with a
 * call up, and started again on the same {@code --journal} and {@code --call-records}. The dead
 * process wrote no record (it had no chance); the restart, when it has sent the call its BYE,
 * writes one, ending {@code ENDING_CRASH}, and a third start on the same files writes none again.
 */
class TornCallRecordIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void aCallTornByKill9GetsOneCrashRecordFromTheRestartAndNoneFromTheNext() throws Exception {
    Path journal = dir.resolve("history.jsonl");
    Path records = dir.resolve("records.jsonl");
    String[] args = {
      "--backend", "jainsip", "--journal", journal.toString(), "--call-records", records.toString()
    };
    try (Kamailio kamailio = Kamailio.start(KamailioOptions.defaults().withUser("bot", "bot-pw"));
        Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("torn"))) {
      String bot = "bot@" + kamailio.hostPort();
      Instant called;
      SiplineProcess first = SiplineProcess.start(dir, args);
      try {
        first
            .sip()
            .sipRegisterAccount(
                SipRegisterAccountRequest.newBuilder()
                    .setAccountName(bot)
                    .setPassword("bot-pw")
                    .build());
        first
            .sip()
            .sipStartSession(SipStartSessionRequest.newBuilder().setAccountName(bot).build());
        called = Instant.now();
        first
            .sip()
            .sipStartCall(
                SipStartCallRequest.newBuilder()
                    .setCalleeId("torn@127.0.0.1:" + phone.port())
                    .build());
        await()
            .atMost(WAIT)
            .until(
                () ->
                    first.sip().sipGetSipStatus(Empty.getDefaultInstance()).getStatusType()
                        == StatusType.OUTGOING_CALL_CONNECTED);
        phone.awaitEvent("CALL_RTPESTAB", WAIT);
        first.kill9();
      } finally {
        first.close();
      }
      assertThat(recordLines(records)).as("the killed process wrote no record").isEmpty();

      Instant restarted = Instant.now();
      try (SiplineProcess second = SiplineProcess.start(dir, args)) {
        phone.awaitEvent("CALL_CLOSED", WAIT);
        List<String> lines =
            await().atMost(WAIT).until(() -> recordLines(records), l -> !l.isEmpty());
        assertThat(lines).as("one record, for the torn call").hasSize(1);
        CallRecord r = parse(lines.get(0));
        System.out.println("FIGURE TornCallRecordIT record = " + lines.get(0));
        assertThat(r.getEnding()).isEqualTo(Ending.ENDING_CRASH);
        assertThat(r.getEndedBy()).isEqualTo(Side.SIDE_LOCAL);
        assertThat(r.getDirection()).isEqualTo(Direction.DIRECTION_OUTGOING);
        assertThat(r.getRemote()).contains("torn@127.0.0.1");
        assertThat(r.getAccount()).isEqualTo(bot);
        assertThat(r.getSipCode()).as("the call had connected").isEqualTo(200);
        assertThat(r.getDescription())
            .startsWith("the process died with the call up; left by the previous process: BYE to")
            .endsWith(" answered 200 OK");
        assertThat(Instant.parse(r.getAnswered())).isAfter(called).isBefore(restarted);
        assertThat(Instant.parse(r.getEnded())).isAfter(restarted);
        assertThat(
                CallRecordsGrpc.newBlockingStub(second.channel())
                    .listCallRecords(ListCallRecordsRequest.getDefaultInstance())
                    .getRecordsList())
            .as("ListCallRecords of the restarted process")
            .containsExactly(r);
        assertThat(second.terminate(WAIT)).as("exited after SIGTERM").isNotNull();
      }

      try (SiplineProcess third = SiplineProcess.start(dir, args)) {
        // The sweep of leftovers runs on the line's actor before the server serves; with the
        // journal's dialog ended by the second process there is nothing for it to do. The history
        // comes back from the journal: the second process's BYE is in it, once.
        List<SipStatus> history =
            third.sip().sipGetSipStatusHistory(Empty.getDefaultInstance()).getStatusHistoryList();
        assertThat(history)
            .extracting(SipStatus::getDescription)
            .filteredOn(d -> d.contains("left by the previous process: BYE"))
            .as("BYEs to the torn call, over three processes")
            .hasSize(1);
        assertThat(third.terminate(WAIT)).as("exited after SIGTERM").isNotNull();
      }
      assertThat(recordLines(records)).as("the next restart wrote no record again").hasSize(1);
    }
  }

  private static List<String> recordLines(Path records) throws Exception {
    if (!Files.exists(records)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(records, StandardCharsets.UTF_8)) {
      if (!l.isBlank()) {
        lines.add(l);
      }
    }
    return lines;
  }

  private static CallRecord parse(String json) throws Exception {
    CallRecord.Builder b = CallRecord.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }
}

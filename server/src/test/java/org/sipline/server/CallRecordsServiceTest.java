package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.records.v1.CallRecord;
import org.sipline.api.records.v1.CallRecordsGrpc;
import org.sipline.api.records.v1.Ending;
import org.sipline.api.records.v1.ListCallRecordsRequest;
import org.sipline.api.records.v1.Side;
import org.sipline.testing.FakeCall;

/** ListCallRecords over gRPC on a served line, and the record of the call a shutdown ends. */
class CallRecordsServiceTest {
  @TempDir Path dir;

  private static List<CallRecord> list(RunningServer s, ListCallRecordsRequest request) {
    return CallRecordsGrpc.newBlockingStub(s.channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .listCallRecords(request)
        .getRecordsList();
  }

  @Test
  void endedCallsAreListedFilteredAndTheShutdownsCallIsWrittenToTheFile() throws Exception {
    Path file = dir.resolve("calls.jsonl");
    RunningServer s = RunningServer.start(b -> b.callRecords(file).callRecordsKeep(5));
    try {
      FakeCall first = s.connectCall();
      first.remoteBye();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> list(s, ListCallRecordsRequest.getDefaultInstance()).size() == 1);
      CallRecord r = list(s, ListCallRecordsRequest.getDefaultInstance()).get(0);
      assertThat(r.getCallId()).isEqualTo(first.callId());
      assertThat(r.getLine()).isEqualTo("line-0");
      assertThat(r.getSipCode()).isEqualTo(200);
      assertThat(r.getEndedBy()).isEqualTo(Side.SIDE_REMOTE);
      assertThat(r.getEnding()).isEqualTo(Ending.ENDING_BYE);
      assertThat(r.getRemote()).isEqualTo("bob@example.org");

      assertThat(list(s, ListCallRecordsRequest.newBuilder().setLine("line-7").build())).isEmpty();
      assertThat(list(s, ListCallRecordsRequest.newBuilder().setEndedFrom(r.getEnded()).build()))
          .hasSize(1);
      assertThat(list(s, ListCallRecordsRequest.newBuilder().setEndedTo(r.getEnded()).build()))
          .as("the upper bound is exclusive")
          .isEmpty();
      assertThatThrownBy(
              () -> list(s, ListCallRecordsRequest.newBuilder().setEndedFrom("yesterday").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).startsWith("ended_from: \"yesterday\"");
              });
      assertThatThrownBy(() -> list(s, ListCallRecordsRequest.newBuilder().setLimit(-1).build()))
          .hasMessageContaining("limit: -1 < 0");

      // A second call is up when the server stops: its record says the shutdown ended it.
      s.sip()
          .sipStartCall(
              org.sipline.api.sip.SipStartCallRequest.newBuilder()
                  .setCalleeId("carol@example.org")
                  .build());
      s.awaitCount(org.sipline.api.sip.SipStatus.StatusType.OUTGOING_CALL_CONNECTED, 2);
    } finally {
      s.close();
    }
    List<CallRecord> written = CallRecordFile.read(file, 10);
    assertThat(written).hasSize(2);
    assertThat(written.get(1).getRemote()).isEqualTo("carol@example.org");
    assertThat(written.get(1).getEnding()).isEqualTo(Ending.ENDING_SHUTDOWN);
    assertThat(written.get(1).getEndedBy()).isEqualTo(Side.SIDE_LOCAL);
    assertThat(Files.readAllLines(file)).hasSize(2);
  }
}

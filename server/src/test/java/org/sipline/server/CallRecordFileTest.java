package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.records.v1.CallRecord;
import org.sipline.core.records.CallDirection;
import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallSide;
import org.sipline.core.spi.ReceptionReport;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SrtpRefusals;

/** The JSON-lines file: whole lines under concurrent calls on many lines, torn lines skipped. */
class CallRecordFileTest {
  @TempDir Path dir;

  static org.sipline.core.records.CallRecord record(String callId, String line, Instant ended) {
    return new org.sipline.core.records.CallRecord(
        callId,
        line,
        "alice@example.org",
        CallDirection.OUTGOING,
        "bob@example.org",
        ended.minusSeconds(30),
        ended.minusSeconds(25),
        ended,
        200,
        "OK",
        CallSide.REMOTE,
        CallEnding.BYE,
        "BYE from bob@example.org",
        "PCMU",
        2,
        1,
        0,
        new RtpStatistics(
            1250,
            200_000,
            1248,
            199_680,
            new ReceptionReport(true, 1250, 2, 0.0, 1.5),
            new ReceptionReport(true, 1250, 0, 0.0, 0.8),
            1250,
            200_000,
            0.4,
            6,
            6,
            0,
            new SrtpRefusals(3, 1, 0)),
        4.39,
        4.41);
  }

  @Test
  void theSrtpRefusalsAreInTheRecordsJson() throws Exception {
    String json =
        CallRecordMessages.toJson(
            CallRecordMessages.toProto(record("srtp@test", "line-0", Instant.now())));
    assertThat(json).contains("\"srtp_auth_failures\":\"3\"", "\"srtp_replays\":\"1\"");
    CallRecord back = CallRecordMessages.fromJson(json);
    assertThat(back.getRtp().getSrtpAuthFailures()).isEqualTo(3);
    assertThat(back.getRtp().getSrtpReplays()).isEqualTo(1);
    assertThat(back.getRtp().getSrtpOutOfWindow()).isZero();
  }

  @Test
  void concurrentCallsOnManyLinesAppendWholeLines() throws Exception {
    Path file = dir.resolve("records.jsonl");
    int threads = 8;
    int perThread = 250;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    try (CallRecordKeeper keeper = CallRecordKeeper.open(file, 10_000)) {
      for (int t = 0; t < threads; t++) {
        String line = "line-" + t;
        Thread th =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  for (int i = 0; i < perThread; i++) {
                    keeper.accept(record(line + "-" + i + "@test", line, Instant.now()));
                  }
                });
        th.start();
        started.add(th);
      }
      go.countDown();
      for (Thread th : started) {
        th.join();
      }
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(threads * perThread);
    Set<String> ids = new HashSet<>();
    for (String l : lines) {
      ids.add(CallRecordMessages.fromJson(l).getCallId());
    }
    assertThat(ids).hasSize(threads * perThread);
    assertThat(CallRecordFile.read(file, 100)).hasSize(100);
  }

  @Test
  void aTornLastLineIsSkippedOnReadAndTheNextRecordStartsALineOfItsOwn() throws Exception {
    Path file = dir.resolve("records.jsonl");
    try (CallRecordKeeper keeper = CallRecordKeeper.open(file, 10)) {
      keeper.accept(record("one@test", "line-0", Instant.now()));
      keeper.accept(record("two@test", "line-0", Instant.now()));
    }
    String whole = Files.readString(file);
    // kill -9 in the middle of the third write:
    String third =
        CallRecordMessages.toJson(
            CallRecordMessages.toProto(record("three@test", "line-0", Instant.now())));
    Files.writeString(file, whole + third.substring(0, third.length() / 2));

    assertThat(CallRecordFile.read(file, 10))
        .extracting(CallRecord::getCallId)
        .containsExactly("one@test", "two@test");

    try (CallRecordKeeper keeper = CallRecordKeeper.open(file, 10)) {
      assertThat(keeper.list("", null, null, 0))
          .extracting(CallRecord::getCallId)
          .containsExactly("one@test", "two@test");
      keeper.accept(record("four@test", "line-0", Instant.now()));
    }
    assertThat(CallRecordFile.read(file, 10))
        .extracting(CallRecord::getCallId)
        .containsExactly("one@test", "two@test", "four@test");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(3)).startsWith("{\"call_id\":\"four@test\"");
  }

  @Test
  void aMissingFileHasNoRecordsAndKeepZeroKeepsNone() throws Exception {
    assertThat(CallRecordFile.read(dir.resolve("none"), 10)).isEmpty();
    try (CallRecordKeeper keeper = CallRecordKeeper.open(null, 0)) {
      keeper.accept(record("x@test", "line-0", Instant.now()));
      assertThat(keeper.list("", null, null, 0)).isEmpty();
    }
  }

  @Test
  void theJsonLineCarriesEveryFieldByItsProtoName() {
    String json =
        CallRecordMessages.toJson(
            CallRecordMessages.toProto(
                record("a@test", "sales", Instant.parse("2026-12-07T08:00:00Z"))));
    assertThat(json)
        .doesNotContain("\n")
        .contains(
            "\"call_id\":\"a@test\"",
            "\"line\":\"sales\"",
            "\"direction\":\"DIRECTION_OUTGOING\"",
            "\"ended\":\"2026-12-07T08:00:00Z\"",
            "\"sip_code\":200",
            "\"ended_by\":\"SIDE_REMOTE\"",
            "\"ending\":\"ENDING_BYE\"",
            "\"round_trip_ms\":0.4",
            "\"mos_received\":4.39",
            "\"dtmf_sent\":0");
    assertThat(CallRecordMessages.fromJson(json).getRtp().getInbound().getCumulativeLost())
        .isEqualTo(2);
  }

  @Test
  void theLogLineSaysWhatHappenedInSipTerms() {
    String line =
        CallRecordKeeper.describe(record("a@test", "sales", Instant.parse("2026-12-07T08:00:00Z")));
    assertThat(line)
        .isEqualTo(
            "Call record: Call-ID a@test, line sales, outgoing to bob@example.org: 200 OK, ended by"
                + " remote BYE after 25.0 s; PCMU RTP sent 1250, received 1248, loss in 0.2 % out"
                + " 0.0 %, jitter in 1.5 ms, RTT 0.4 ms, MOS 4.39");
  }
}

package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.LineHarness.get;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.testing.FakeBackend;

/** The history: totally ordered, bounded, and journaled so a restart loses nothing. */
class StatusHistoryTest {
  @TempDir Path dir;

  private static void assertTotallyOrdered(List<LineStatus> history) {
    for (int i = 1; i < history.size(); i++) {
      assertThat(history.get(i).sequence()).isEqualTo(history.get(i - 1).sequence() + 1);
      assertThat(history.get(i).timestamp()).isAfterOrEqualTo(history.get(i - 1).timestamp());
    }
  }

  @Test
  void historyIsOldestFirstWithConsecutiveSequenceNumbers() {
    try (LineHarness h = new LineHarness()) {
      h.connectedOut();
      get(h.line.endCall(false));
      List<LineStatus> history = h.line.history();
      assertThat(history.get(0).sequence()).isEqualTo(1);
      assertThat(history.stream().map(LineStatus::type).toList())
          .containsExactly(
              StatusType.REGISTERED,
              StatusType.SESSION_STARTED,
              StatusType.READY,
              StatusType.OUTGOING_CALL_INITIATED,
              StatusType.OUTGOING_CALL_CONNECTED,
              StatusType.SOFT_HANGUP_INITIATED,
              StatusType.OUTGOING_CALL_FINISHED,
              StatusType.READY);
      assertTotallyOrdered(history);
    }
  }

  @Test
  void historyKeepsOnlyTheNewestEntriesUpToItsLimit() {
    try (LineHarness h = new LineHarness(LineConfig.builder().historyLimit(4).build())) {
      h.connectedOut();
      get(h.line.endCall(false));
      List<LineStatus> history = h.line.history();
      assertThat(history).hasSize(4);
      assertThat(history.get(3).sequence()).isEqualTo(8);
      assertThat(history.get(0).sequence()).isEqualTo(5);
      assertThat(h.line.status()).isEqualTo(history.get(3));
    }
  }

  @Test
  void historyAfterASequenceGivesWhatAWatcherMissedOldestFirstAndBounded() {
    try (LineHarness h = new LineHarness(LineConfig.builder().historyLimit(6).build())) {
      assertThat(h.line.oldestSequence()).isZero();
      assertThat(h.line.historyAfter(0, 10)).isEmpty();
      h.connectedOut();
      get(h.line.endCall(false));
      // 8 recorded, the newest 6 kept: 3..8.
      assertThat(h.line.oldestSequence()).isEqualTo(3);
      assertThat(h.line.historyAfter(4, 10).stream().map(LineStatus::sequence).toList())
          .containsExactly(5L, 6L, 7L, 8L);
      assertThat(h.line.historyAfter(4, 2).stream().map(LineStatus::sequence).toList())
          .containsExactly(5L, 6L);
      assertThat(h.line.historyAfter(0, 100).get(0).sequence()).isEqualTo(3);
      assertThat(h.line.historyAfter(8, 10)).isEmpty();
      assertThat(h.line.inCall()).isFalse();
      assertThat(h.line.isFree()).isTrue();
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> h.line.historyAfter(0, 0));
    }
  }

  @Test
  void journalBringsTheWholeHistoryBackAfterARestart() throws IOException {
    Path journal = dir.resolve("line.jsonl");
    List<LineStatus> before;
    try (LineHarness h = new LineHarness(LineConfig.builder().journal(journal).build())) {
      h.connectedOut();
      before = h.line.history();
    }
    try (FakeBackend fake = new FakeBackend();
        Line reopened = Line.open(fake, LineConfig.builder().journal(journal).build())) {
      List<LineStatus> after = reopened.history();
      assertThat(after.subList(0, before.size())).isEqualTo(before);
      LineStatus restart = after.get(after.size() - 1);
      assertThat(restart.type()).isEqualTo(StatusType.NO_SESSION);
      assertThat(restart.description()).contains("restarted", "the line was READY");
      // Closing the first line hung up its call: those statuses were journaled too.
      assertThat(after.stream().map(LineStatus::type).toList().subList(before.size(), after.size()))
          .containsExactly(
              StatusType.OUTGOING_CALL_FINISHED, StatusType.READY, StatusType.NO_SESSION);
      assertTotallyOrdered(after);
    }
  }

  @Test
  void aTornLastLineIsSkippedAndTheRestIsKept() throws IOException {
    Path journal = dir.resolve("torn.jsonl");
    int count;
    try (LineHarness h = new LineHarness(LineConfig.builder().journal(journal).build())) {
      h.ready(0);
      count = h.line.history().size();
    }
    Files.writeString(
        journal, "{\"seq\":99,\"account\":\"bo", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (FakeBackend fake = new FakeBackend();
        Line reopened = Line.open(fake, LineConfig.builder().journal(journal).build())) {
      assertThat(reopened.history()).hasSize(count + 1);
      assertTotallyOrdered(reopened.history());
    }
  }

  @Test
  void journalIsCompactedSoItDoesNotGrowWithoutBound() throws IOException {
    Path journal = dir.resolve("small.jsonl");
    try (LineHarness h =
        new LineHarness(LineConfig.builder().historyLimit(3).journal(journal).build())) {
      h.connectedOut();
      for (int i = 0; i < 10; i++) {
        get(h.line.mute());
        get(h.line.unmute());
      }
      assertThat(Files.readAllLines(journal).size()).isLessThanOrEqualTo(2 * 3 + 1);
      List<LineStatus> kept = h.line.history();
      try (FakeBackend fake = new FakeBackend();
          Line reopened = Line.open(fake, LineConfig.builder().historyLimit(3).build())) {
        assertThat(reopened.history()).isEmpty(); // no journal configured: nothing read
      }
      assertThat(kept).hasSize(3);
    }
  }

  @Test
  void jsonRoundTripKeepsEveryField() {
    LineStatus s =
        new LineStatus(
            7,
            "a@b",
            Instant.parse("2026-11-27T10:15:30.123456Z"),
            StatusType.TRANSFER_CALL_FAILED,
            "c@d",
            "e@f",
            Map.of("X-A", "1\n2", "X-\u00e4", "\u0001"),
            "desc \"q\"",
            "java.lang.IllegalStateException",
            "at x\n\tat y",
            "nlu");
    assertThat(StatusJson.read(StatusJson.write(s))).isEqualTo(s);
  }
}

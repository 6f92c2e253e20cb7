package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.SipStateJournal.Leftovers;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.Transport;

/**
 * The journal of what a crash would leave behind: what is open at a crash comes back, what ended
 * does not; it stays small however long the process lives; a torn or malformed line costs only
 * itself and is reported.
 */
class SipStateJournalTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private static DialogRecord dialog(String callId, long cseq) {
    return new DialogRecord(
        callId,
        true,
        "sip:bot@example.org",
        "ours",
        "sip:\"x\"\\@example.org",
        "theirs",
        "sip:far@10.0.0.1:5070",
        List.of("sip:10.0.0.1:5070;lr", "sip:p2.example.org;lr"),
        cseq,
        Transport.TCP,
        "10.0.0.1",
        5070);
  }

  private static BindingRecord binding(String contact) {
    return new BindingRecord(
        "sip:bot@example.org", contact, "sip:proxy.example.org", Transport.UDP);
  }

  private Leftovers reopen(Path journal) {
    try (SipStateJournal j = SipStateJournal.open(journal, CLOCK)) {
      return j.leftovers();
    }
  }

  @Test
  void whatWasOpenAtTheCrashComesBackAsLastWrittenAndWhatEndedDoesNot() {
    Path journal = dir.resolve("h.jsonl");
    try (SipStateJournal j = SipStateJournal.open(journal, CLOCK)) {
      assertThat(j.leftovers().isEmpty()).isTrue();
      j.dialog("bot@example.org", dialog("open", 2));
      j.dialog("bot@example.org", dialog("open", 2)); // unchanged: not written again
      j.dialog("bot@example.org", dialog("open", 5));
      j.dialog("bot@example.org", dialog("ended", 2));
      j.dialogEnded("ended");
      j.dialogEnded("never-seen");
      j.binding("bot@example.org", binding("sip:bot@10.0.0.2:5060"), 600);
      j.binding("bot@example.org", binding("sip:bot@10.0.0.2:5062"), 600);
      j.bindingEnded(binding("sip:bot@10.0.0.2:5062"));
      j.bindingEnded(binding("sip:bot@10.0.0.2:9999"));
    }
    Leftovers left = reopen(journal);
    assertThat(left.problems()).isEmpty();
    assertThat(left.dialogs()).hasSize(1);
    SipStateJournal.LeftDialog d = left.dialogs().get(0);
    assertThat(d.dialog()).isEqualTo(dialog("open", 5));
    assertThat(d.account()).isEqualTo("bot@example.org");
    assertThat(d.time()).isEqualTo(CLOCK.instant());
    assertThat(left.bindings())
        .containsExactly(
            new SipStateJournal.LeftBinding(
                "bot@example.org", binding("sip:bot@10.0.0.2:5060"), CLOCK.instant(), 600));
    assertThat(left.isEmpty()).isFalse();
  }

  @Test
  void bindingsOfAnAccountEndTogether() {
    Path journal = dir.resolve("b.jsonl");
    try (SipStateJournal j = SipStateJournal.open(journal, CLOCK)) {
      j.binding("a@example.org", binding("sip:a@1.1.1.1"), 60);
      j.binding("b@example.org", binding("sip:b@1.1.1.1"), 60);
      j.bindingsEnded("a@example.org");
    }
    assertThat(reopen(journal).bindings())
        .extracting(SipStateJournal.LeftBinding::account)
        .containsExactly("b@example.org");
  }

  @Test
  void aLongLifeKeepsTheFileSmall() throws Exception {
    Path journal = dir.resolve("long.jsonl");
    try (SipStateJournal j = SipStateJournal.open(journal, CLOCK)) {
      for (int i = 1; i <= 1000; i++) {
        j.dialog("bot@example.org", dialog("call-" + i, 2));
        j.dialog("bot@example.org", dialog("call-" + i, 3));
        j.dialogEnded("call-" + i);
      }
      j.dialog("bot@example.org", dialog("last", 2));
    }
    long lines = Files.readAllLines(SipStateJournal.pathBeside(journal)).size();
    assertThat(lines).isLessThanOrEqualTo(70);
    assertThat(reopen(journal).dialogs())
        .extracting(d -> d.dialog().callId())
        .containsExactly("last");
  }

  @Test
  void withoutAJournalNothingIsKept() {
    try (SipStateJournal j = SipStateJournal.open(null, CLOCK)) {
      j.dialog("a", dialog("x", 2));
      j.dialogEnded("x");
      j.binding("a", binding("sip:a@h"), 60);
      j.bindingEnded(binding("sip:a@h"));
      j.bindingsEnded("a");
      assertThat(j.leftovers()).isSameAs(Leftovers.NONE);
    }
  }

  @Test
  void everyMalformedLineIsReportedAndCostsOnlyItself() throws Exception {
    Path journal = dir.resolve("bad.jsonl");
    String good =
        "{\"kind\":\"binding\",\"time\":\"2026-12-07T09:00:00Z\",\"account\":\"a\",\"aor\":"
            + "\"sip:a@h\",\"contact\":\"sip:a@c\",\"outboundProxy\":\"\",\"transport\":\"UDP\","
            + "\"expires\":60}";
    List<String> lines =
        List.of(
            "",
            "{\"kind\":5}",
            "{\"time\":\"x\"}",
            good.replace("\"UDP\"", "\"SCTP\""),
            good.replace("60}", "-1}"),
            good.replace("2026-12-07T09:00:00Z", "yesterday"),
            good.replace("\"expires\":60", "\"expires\":\"60\""),
            LineOrphanSweepTest.dialog("d", Instant.EPOCH, "sip:f@h", "h", 5060, "{}")
                .replace("\"routeSet\":{}", "\"routeSet\":\"none\""),
            LineOrphanSweepTest.dialog("d", Instant.EPOCH, "sip:f@h", "h", 5060, "[]")
                .replace("outgoing", "sideways"),
            LineOrphanSweepTest.dialog("d", Instant.EPOCH, "sip:f@h", "h", 5060, "[\"a\" \"b\"]"),
            LineOrphanSweepTest.dialog("e", Instant.EPOCH, "sip:f@h", "h", 5060, "[\"a\", \"b\"]"),
            good,
            "{\"kind\":\"binding-end\",\"aor\":\"sip:a@h\",\"contact\":\"sip:a@c\"}",
            good.substring(0, 30));
    Files.writeString(SipStateJournal.pathBeside(journal), String.join("\n", lines) + "\n");
    Leftovers left = reopen(journal);
    assertThat(left.problems())
        .containsExactly(
            "bad.jsonl+sip line 2 unreadable: \"kind\" is not a string",
            "bad.jsonl+sip line 3 unreadable: missing \"kind\"",
            "bad.jsonl+sip line 4 unreadable: \"transport\" is not UDP, TCP or TLS",
            "bad.jsonl+sip line 5 unreadable: \"expires\" out of range: -1",
            "bad.jsonl+sip line 6 unreadable: bad \"time\": Text 'yesterday' could not be parsed at"
                + " index 0",
            "bad.jsonl+sip line 7 unreadable: \"expires\" is not a number",
            "bad.jsonl+sip line 8 unreadable: missing \"routeSet\"",
            "bad.jsonl+sip line 9 unreadable: \"direction\" is neither incoming nor outgoing",
            "bad.jsonl+sip line 10 unreadable: expected ',' or ']' but got '\"' at column 247",
            "bad.jsonl+sip line 14 unreadable: unexpected end at column 30");
    assertThat(left.dialogs())
        .extracting(d -> d.dialog().routeSet())
        .containsExactly(List.of("a", "b"));
    assertThat(left.bindings()).as("ended on line 13").isEmpty();
    assertThat(reopen(journal).problems()).as("reported once, then dropped").isEmpty();
  }

  @Test
  void aJournalThatCannotBeReadOrWrittenStopsTheLineFromOpening() throws Exception {
    Path journal = dir.resolve("dir.jsonl");
    Files.createDirectories(SipStateJournal.pathBeside(journal));
    assertThatThrownBy(() -> SipStateJournal.open(journal, CLOCK))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("dir.jsonl+sip");
  }
}

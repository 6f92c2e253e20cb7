package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.Transport;

/** Which dialog records left by a dead process may earn a BYE, and what is said about the rest. */
class OrphanCheckTest {
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private static DialogRecord record(
      String callId,
      String localTag,
      String remoteTag,
      String target,
      List<String> routes,
      long cseq,
      Transport transport,
      String host,
      int port) {
    return new DialogRecord(
        callId,
        false,
        "sip:bot@example.org",
        localTag,
        "sip:far@example.org",
        remoteTag,
        target,
        routes,
        cseq,
        transport,
        host,
        port);
  }

  private static DialogRecord to(String target, String host, int port) {
    return record("c1@h", "a", "b", target, List.of(), 2, Transport.UDP, host, port);
  }

  private static String problem(DialogRecord d) {
    return OrphanCheck.problem(d, NOW, NOW);
  }

  @Test
  void aRecordWhoseFirstHopIsItsFarEndPasses() {
    assertThat(problem(to("sip:far@10.0.0.1:5070;transport=udp", "10.0.0.1", 5070))).isNull();
    assertThat(problem(to("sip:far@pbx.example.org", "PBX.example.org", 5060))).isNull();
    assertThat(problem(to("sips:far@pbx.example.org", "pbx.example.org", 5061))).isNull();
    assertThat(
            problem(
                record(
                    "c1",
                    "a",
                    "b",
                    "sip:far@pbx.test",
                    List.of(),
                    9,
                    Transport.TLS,
                    "pbx.test",
                    5061)))
        .isNull();
    assertThat(problem(to("sip:far@[::1]:5080", "::1", 5080))).isNull();
    assertThat(problem(to("sip:far@[::1]:5080", "[::1]", 5080))).isNull();
    assertThat(
            problem(
                record(
                    "c1",
                    "a",
                    "b",
                    "sip:far@10.0.0.9",
                    List.of("sip:10.0.0.1:5070;lr", "sip:10.0.0.2;lr"),
                    2,
                    Transport.UDP,
                    "10.0.0.1",
                    5070)))
        .isNull();
  }

  @Test
  void aRecordThatWouldSendTheByeElsewhereIsRefusedSayingWhere() {
    assertThat(problem(to("sip:far@10.0.0.1:5070", "10.0.0.1", 5071)))
        .isEqualTo(
            "the BYE would go to 10.0.0.1:5070 (remote target), not to the recorded far end"
                + " 10.0.0.1:5071");
    assertThat(problem(to("sip:far@10.0.0.1", "10.0.0.2", 5060))).contains("10.0.0.1:5060");
    assertThat(problem(to("sip:far@10.0.0.1;maddr=10.0.0.66", "10.0.0.1", 5060)))
        .isEqualTo("remote target has maddr, which would send the BYE elsewhere");
    assertThat(problem(to("tel:+431234", "10.0.0.1", 5060)))
        .isEqualTo("remote target is not a SIP URI");
    assertThat(problem(to("sip:far@", "10.0.0.1", 5060))).startsWith("remote target: ");
    assertThat(problem(to("sip:far@10.0.0.1", "10.0.0.1", 0)))
        .isEqualTo("far-end port 0 outside 1..65535");
    assertThat(problem(to("sip:far@10.0.0.1", "10.0.0.1", 70000)))
        .isEqualTo("far-end port 70000 outside 1..65535");
  }

  @Test
  void malformedPartsAreNamed() {
    assertThat(problem(record("", "a", "b", "sip:f@h", List.of(), 2, Transport.UDP, "h", 5060)))
        .isEqualTo("empty Call-ID");
    assertThat(problem(record("a b", "a", "b", "sip:f@h", List.of(), 2, Transport.UDP, "h", 5060)))
        .isEqualTo("Call-ID has character 0x20 at 1");
    assertThat(
            problem(
                record(
                    "x".repeat(257), "a", "b", "sip:f@h", List.of(), 2, Transport.UDP, "h", 5060)))
        .isEqualTo("Call-ID longer than 256 characters");
    assertThat(problem(record("c@h", "a@", "b", "sip:f@h", List.of(), 2, Transport.UDP, "h", 5060)))
        .isEqualTo("local tag has character 0x40 at 1");
    assertThat(
            problem(record("c@h", "a", "b\r\n", "sip:f@h", List.of(), 2, Transport.UDP, "h", 5060)))
        .isEqualTo("remote tag has character 0xd at 1");
    assertThat(problem(record("c", "a", "b", "sip:f@h", List.of(), 0, Transport.UDP, "h", 5060)))
        .isEqualTo("CSeq 0 outside 1..2147483647");
    assertThat(
            problem(
                record("c", "a", "b", "sip:f@h", List.of(), 1L << 31, Transport.UDP, "h", 5060)))
        .isEqualTo("CSeq 2147483648 outside 1..2147483647");
    assertThat(
            problem(
                record(
                    "c",
                    "a",
                    "b",
                    "sip:f@h",
                    Collections.nCopies(17, "sip:h;lr"),
                    2,
                    Transport.UDP,
                    "h",
                    5060)))
        .isEqualTo("17 routes, more than 16");
    assertThat(
            problem(
                record(
                    "c", "a", "b", "sip:f@h", List.of("<sip:h;lr>"), 2, Transport.UDP, "h", 5060)))
        .isEqualTo("route 1 is not a SIP URI");
    DialogRecord badLocal =
        new DialogRecord(
            "c",
            false,
            "mailto:x",
            "a",
            "sip:f@h",
            "b",
            "sip:f@h",
            List.of(),
            2,
            Transport.UDP,
            "h",
            5060);
    assertThat(problem(badLocal)).isEqualTo("local URI is not a SIP URI");
    DialogRecord badRemote =
        new DialogRecord(
            "c",
            false,
            "sip:a@h",
            "a",
            "http://x",
            "b",
            "sip:f@h",
            List.of(),
            2,
            Transport.UDP,
            "h",
            5060);
    assertThat(problem(badRemote)).isEqualTo("remote URI is not a SIP URI");
  }

  @Test
  void recordsTooOldOrFromTheFutureAreStale() {
    DialogRecord d = to("sip:far@10.0.0.1", "10.0.0.1", 5060);
    assertThat(OrphanCheck.problem(d, NOW.minus(Duration.ofHours(23)), NOW)).isNull();
    assertThat(OrphanCheck.problem(d, NOW.minus(Duration.ofHours(25)), NOW))
        .isEqualTo("stale: journaled 2026-12-06T09:00:00Z, more than 24 h ago");
    assertThat(OrphanCheck.problem(d, NOW.plus(Duration.ofMinutes(4)), NOW)).isNull();
    assertThat(OrphanCheck.problem(d, NOW.plus(Duration.ofMinutes(6)), NOW))
        .isEqualTo("journaled 2026-12-07T10:06:00Z, in the future");
  }

  @Test
  void theFarEndIsNamedAsHostAndPort() {
    assertThat(to("sip:f@h", "10.0.0.1", 5060).farEnd()).isEqualTo("10.0.0.1:5060");
    assertThat(to("sip:f@h", "::1", 5060).farEnd()).isEqualTo("[::1]:5060");
    assertThat(to("sip:f@h", "[::1]", 5060).farEnd()).isEqualTo("[::1]:5060");
  }
}

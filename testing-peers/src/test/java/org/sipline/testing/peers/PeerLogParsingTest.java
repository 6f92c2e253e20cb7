package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsers that read what peers write: Kamailio's log and ctl answers, SIPp's statistics. */
class PeerLogParsingTest {

  @Test
  void requestLogLineBecomesAReceivedRequest() {
    List<ReceivedRequest> requests =
        RequestLog.parse(
            List.of(
                " 0(1) INFO: <core> [main.c:1]: not a request line",
                " 1(842) NOTICE: <script>: SIPLINE-REQ|REGISTER|bob|bob|<null>|1-861@127.0.0.1"
                    + "|sip:127.0.0.1:29388|127.0.0.1:29394|udp|<sip:bob@127.0.0.1:29389>;expires=0"));

    assertThat(requests)
        .containsExactly(
            new ReceivedRequest(
                "REGISTER",
                "bob",
                "bob",
                null,
                "1-861@127.0.0.1",
                "sip:127.0.0.1:29388",
                "127.0.0.1:29394",
                "udp",
                "<sip:bob@127.0.0.1:29389>;expires=0"));
    assertThat(requests.get(0).expires()).hasValue(0);
  }

  @Test
  void contactWithPipeStaysWhole() {
    ReceivedRequest r =
        RequestLog.parseEntry("INVITE|a|b|<null>|c1|sip:b@h|1.2.3.4:5|tcp|<sip:x|y@h>");
    assertThat(r.contact()).isEqualTo("<sip:x|y@h>");
    assertThat(r.expires()).isEmpty();
  }

  @Test
  void expiresHeaderIsUsedWithoutContactParameter() {
    ReceivedRequest r = RequestLog.parseEntry("REGISTER|a|a|120|c|sip:h|h:1|udp|<sip:a@h>");
    assertThat(r.expires()).hasValue(120);
    assertThat(RequestLog.parseEntry("REGISTER|a|a|soon|c|sip:h|h:1|udp|<null>").expires())
        .isEmpty();
  }

  @Test
  void truncatedRequestLogEntryIsRefusedWithItsFieldCount() {
    assertThatThrownBy(() -> RequestLog.parseEntry("INVITE|alice|bob"))
        .isInstanceOf(PeerException.class)
        .hasMessageContaining("has 3 fields, expected 9: INVITE|alice|bob");
  }

  @Test
  void lookupAnswerYieldsUnexpiredContacts() {
    String answer =
        """
        {
        \tAoR: alice
        \tContacts: {
        \t\tContact: {
        \t\t\tAddress: sip:alice@127.0.0.1:16000
        \t\t\tExpires: 3600
        \t\t}
        \t\tContact: {
        \t\t\tAddress: sip:alice@127.0.0.1:16002
        \t\t\tExpires: expired
        \t\t}
        \t}
        }
        """;
    assertThat(KamailioCtl.liveContacts(answer)).containsExactly("sip:alice@127.0.0.1:16000");
  }

  @Test
  void sippStatisticsGiveTheLastRowsCounts() {
    long[] counts =
        SippStats.parse(
            List.of(
                "StartTime;SuccessfulCall(P);SuccessfulCall(C);FailedCall(P);FailedCall(C);",
                "t0;0;0;0;0;",
                "t1;1;3;0;2;"),
            "stat.csv");
    assertThat(counts).containsExactly(3, 2);
  }

  @Test
  void sippStatisticsWithoutTheColumnAreRefused() {
    assertThatThrownBy(() -> SippStats.parse(List.of("A;B", "1;2"), "stat.csv"))
        .isInstanceOf(PeerException.class)
        .hasMessage("SIPp statistics stat.csv has no column SuccessfulCall(C)");
  }

  @Test
  void processStateIsReadAfterTheCommandName() {
    assertThat(ProcessStates.parseState("31652 (sleep) Z 1 31650 31650 0 -1 4194564"))
        .isEqualTo('Z');
    assertThat(ProcessStates.parseState("7 (odd) name) S 1 7")).isEqualTo('S');
    assertThatThrownBy(() -> ProcessStates.parseState("garbage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a /proc/<pid>/stat line: garbage");
  }

  @Test
  void procNetTableShowsBoundLoopbackPorts(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("udp");
    Files.writeString(
        table,
        """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid
          12: 0100007F:5221 00000000:0000 07 00000000:00000000 00:00000000 00000000     0
          13: 0200007F:5222 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0
        """);
    assertThat(BoundPorts.bound(table, 0x5221, null)).isTrue();
    assertThat(BoundPorts.bound(table, 0x5221, "0A")).isFalse();
    assertThat(BoundPorts.bound(table, 0x5222, null)).as("127.0.0.2 is not ours").isFalse();
  }
}

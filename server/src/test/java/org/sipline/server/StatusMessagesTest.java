package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipStatus;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;

class StatusMessagesTest {

  private static LineStatus status(long sequence, StatusType type) {
    return new LineStatus(sequence, "a", Instant.EPOCH, type, "", "", Map.of(), "", "", "", "");
  }

  @Test
  void everyFieldIsCarriedOver() {
    Instant at = Instant.parse("2024-05-01T10:00:00.123456789Z");
    LineStatus s =
        new LineStatus(
            7,
            "alice@example.org",
            at,
            StatusType.TRANSFER_CALL_FAILED,
            "bob@example.org",
            "carol@example.org",
            Map.of("X-Bot", "1"),
            "REFER 603 Decline, Call-ID abc@h",
            "SipException",
            "at x",
            "abc@h");
    SipStatus p = StatusMessages.toProto(s);
    assertThat(p.getAccountName()).isEqualTo("alice@example.org");
    assertThat(p.getTimestamp().getSeconds()).isEqualTo(at.getEpochSecond());
    assertThat(p.getTimestamp().getNanos()).isEqualTo(123456789);
    assertThat(p.getStatusType()).isEqualTo(SipStatus.StatusType.TRANSFER_CALL_FAILED);
    assertThat(p.getCalleeId()).isEqualTo("bob@example.org");
    assertThat(p.getTransferCallId()).isEqualTo("carol@example.org");
    assertThat(p.getHeadersMap()).containsExactly(Map.entry("X-Bot", "1"));
    assertThat(p.getDescription()).isEqualTo("REFER 603 Decline, Call-ID abc@h");
    assertThat(p.getExceptionName()).isEqualTo("SipException");
    assertThat(p.getExceptionTraceback()).isEqualTo("at x");
    assertThat(p.getNluSessionName()).isEqualTo("abc@h");
  }

  @Test
  void everyStatusTypeMapsToTheWireValueOfTheSameNumberAndName() {
    // protobuf-java adds UNRECOGNIZED to every enum
    assertThat(StatusType.values()).hasSize(SipStatus.StatusType.values().length - 1);
    for (StatusType t : StatusType.values()) {
      SipStatus.StatusType wire = StatusMessages.toProto(status(1, t)).getStatusType();
      assertThat(wire.getNumber()).isEqualTo(t.number());
      assertThat(wire.name()).isEqualTo(t.name());
    }
  }

  @Test
  void historyKeepsTheOrder() {
    List<LineStatus> history =
        List.of(
            status(1, StatusType.REGISTERED),
            status(2, StatusType.SESSION_STARTED),
            status(3, StatusType.READY));
    assertThat(StatusMessages.toProto(history).getStatusHistoryList())
        .extracting(SipStatus::getStatusType)
        .containsExactly(
            SipStatus.StatusType.REGISTERED,
            SipStatus.StatusType.SESSION_STARTED,
            SipStatus.StatusType.READY);
  }
}

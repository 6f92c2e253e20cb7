package org.sipline.server.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;

class HistoryFollowerTest {
  private static SipStatus at(long seconds, StatusType type) {
    return SipStatus.newBuilder()
        .setStatusType(type)
        .setTimestamp(Timestamp.newBuilder().setSeconds(seconds))
        .build();
  }

  @Test
  void newStatusesAreThoseAfterTheLastPrinted() {
    List<SipStatus> h =
        List.of(
            at(1, StatusType.REGISTERED),
            at(2, StatusType.SESSION_STARTED),
            at(3, StatusType.READY));
    assertThat(HistoryFollower.after(h, h.get(1))).containsExactly(h.get(2));
    assertThat(HistoryFollower.after(h, h.get(2))).isEmpty();
    assertThat(HistoryFollower.after(h, null)).isEqualTo(h);
  }

  @Test
  void whenTheLastPrintedWasTrimmedAwayTheNewerOnesByTimeAreNew() {
    SipStatus gone = at(2, StatusType.SESSION_STARTED);
    List<SipStatus> trimmed =
        List.of(
            at(1, StatusType.REGISTERED),
            at(3, StatusType.READY),
            at(4, StatusType.OUTGOING_CALL_INITIATED));
    assertThat(HistoryFollower.after(trimmed, gone))
        .containsExactly(trimmed.get(1), trimmed.get(2));
  }
}

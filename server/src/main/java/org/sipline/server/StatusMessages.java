package org.sipline.server;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatusHistoryResponse;
import org.sipline.core.LineStatus;

/** The line's statuses as ondewo.sip messages: every field, the type by its wire number. */
final class StatusMessages {
  private StatusMessages() {}

  static SipStatus toProto(LineStatus s) {
    return SipStatus.newBuilder()
        .setAccountName(s.accountName())
        .setTimestamp(timestamp(s.timestamp()))
        .setStatusTypeValue(s.type().number())
        .setCalleeId(s.calleeId())
        .setTransferCallId(s.transferCallId())
        .putAllHeaders(s.headers())
        .setDescription(s.description())
        .setExceptionName(s.exceptionName())
        .setExceptionTraceback(s.exceptionTraceback())
        .setNluSessionName(s.nluSessionName())
        .build();
  }

  static SipStatusHistoryResponse toProto(List<LineStatus> history) {
    SipStatusHistoryResponse.Builder b = SipStatusHistoryResponse.newBuilder();
    for (LineStatus s : history) {
      b.addStatusHistory(toProto(s));
    }
    return b.build();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}

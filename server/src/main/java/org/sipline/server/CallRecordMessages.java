package org.sipline.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.time.Instant;
import org.sipline.api.records.v1.CallRecord;
import org.sipline.api.records.v1.Direction;
import org.sipline.api.records.v1.Ending;
import org.sipline.api.records.v1.Reception;
import org.sipline.api.records.v1.RtpStatistics;
import org.sipline.api.records.v1.Side;
import org.sipline.core.records.CallDirection;
import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallSide;
import org.sipline.core.spi.ReceptionReport;

/**
 * Core's call records as {@code sipline.records.v1} messages, and those as one line of JSON each
 * (protobuf's JSON mapping with the proto's field names, every field printed) and back.
 */
final class CallRecordMessages {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .omittingInsignificantWhitespace()
          .preservingProtoFieldNames()
          .alwaysPrintFieldsWithNoPresence();

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private CallRecordMessages() {}

  static CallRecord toProto(org.sipline.core.records.CallRecord r) {
    return CallRecord.newBuilder()
        .setCallId(r.callId())
        .setLine(r.line())
        .setAccount(r.account())
        .setDirection(
            r.direction() == CallDirection.INCOMING
                ? Direction.DIRECTION_INCOMING
                : Direction.DIRECTION_OUTGOING)
        .setRemote(r.remote())
        .setInvited(r.invited().toString())
        .setAnswered(r.answered() == null ? "" : r.answered().toString())
        .setEnded(r.ended().toString())
        .setSipCode(r.sipCode())
        .setSipReason(r.sipReason())
        .setEndedBy(side(r.endedBy()))
        .setEnding(ending(r.ending()))
        .setDescription(r.description())
        .setCodec(r.codec())
        .setPromptsPlayed(r.promptsPlayed())
        .setDtmfReceived(r.dtmfReceived())
        .setDtmfSent(r.dtmfSent())
        .setRtp(rtp(r.rtp()))
        .setMosReceived(r.mosReceived())
        .setMosSent(r.mosSent())
        .build();
  }

  private static Side side(CallSide s) {
    return switch (s) {
      case LOCAL -> Side.SIDE_LOCAL;
      case REMOTE -> Side.SIDE_REMOTE;
      case NETWORK -> Side.SIDE_NETWORK;
    };
  }

  private static Ending ending(CallEnding e) {
    return switch (e) {
      case BYE -> Ending.ENDING_BYE;
      case CANCEL -> Ending.ENDING_CANCEL;
      case REJECTED -> Ending.ENDING_REJECTED;
      case TRANSFER -> Ending.ENDING_TRANSFER;
      case MEDIA_TIMEOUT -> Ending.ENDING_MEDIA_TIMEOUT;
      case SHUTDOWN -> Ending.ENDING_SHUTDOWN;
      case CRASH -> Ending.ENDING_CRASH;
      case TEARDOWN -> Ending.ENDING_TEARDOWN;
      case TIMEOUT -> Ending.ENDING_TIMEOUT;
      case ERROR -> Ending.ENDING_ERROR;
    };
  }

  private static RtpStatistics rtp(org.sipline.core.spi.RtpStatistics s) {
    return RtpStatistics.newBuilder()
        .setPacketsSent(s.packetsSent())
        .setOctetsSent(s.octetsSent())
        .setPacketsReceived(s.packetsReceived())
        .setOctetsReceived(s.octetsReceived())
        .setInbound(reception(s.inbound()))
        .setOutbound(reception(s.outbound()))
        .setFarEndPacketsSent(s.farEndPacketsSent())
        .setFarEndOctetsSent(s.farEndOctetsSent())
        .setRoundTripMs(s.roundTripMillis())
        .setRtcpSent(s.rtcpSent())
        .setRtcpReceived(s.rtcpReceived())
        .setRtcpDropped(s.rtcpDropped())
        .setSrtpAuthFailures(s.srtp().authFailures())
        .setSrtpReplays(s.srtp().replays())
        .setSrtpOutOfWindow(s.srtp().outOfWindow())
        .build();
  }

  private static Reception reception(ReceptionReport r) {
    return Reception.newBuilder()
        .setReported(r.reported())
        .setExpected(r.expected())
        .setCumulativeLost(r.cumulativeLost())
        .setFractionLost(r.fractionLost())
        .setLossRatio(r.lossRatio())
        .setJitterMs(r.jitterMillis())
        .build();
  }

  /** One line of JSON, without the line break. */
  static String toJson(CallRecord r) {
    try {
      return PRINTER.print(r);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print; the record has none.
      throw new IllegalStateException("call record not printable as JSON", e);
    }
  }

  /**
   * A record read back from one line of JSON.
   *
   * @throws IllegalArgumentException naming what is wrong when the line is no record
   */
  static CallRecord fromJson(String line) {
    CallRecord.Builder b = CallRecord.newBuilder();
    try {
      PARSER.merge(line, b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("not a call record: " + e.getMessage(), e);
    }
    if (b.getCallId().isEmpty() || b.getEnded().isEmpty()) {
      throw new IllegalArgumentException("not a call record: no call_id or ended");
    }
    return b.build();
  }

  /** When the call ended, for the time filter. */
  static Instant ended(CallRecord r) {
    return Instant.parse(r.getEnded());
  }
}

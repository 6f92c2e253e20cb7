package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sipline.api.records.v1.CallRecord;
import org.sipline.api.records.v1.Reception;
import org.sipline.core.spi.ReceptionReport;

/** What a call record says about each RTP stream's loss. */
class CallRecordMessagesTest {

  @Test
  void fractionLostIsTheWholeCallsShareNotTheLastReportIntervals() {
    // As LineRtcpWithBaresipTest's lossy path ends: 35 of 355 lost over the call, while the
    // report taken at the BYE covered a handful of packets that all came (fraction 0).
    ReceptionReport lossyCallQuietEnd = new ReceptionReport(true, 355, 35, 0.0, 2.0);
    // The reverse: a clean call whose last few packets before the BYE were lost.
    ReceptionReport cleanCallLossyEnd = new ReceptionReport(true, 1000, 3, 0.75, 1.0);

    CallRecord r =
        CallRecordMessages.toProto(
            CallRecordFileTest.record(
                "loss@test", "line-0", Instant.now(), lossyCallQuietEnd, cleanCallLossyEnd));

    Reception in = r.getRtp().getInbound();
    assertThat(in.getFractionLost()).isCloseTo(35.0 / 355, within(1e-12));
    assertThat(in.getLossRatio()).isEqualTo(in.getFractionLost());
    Reception out = r.getRtp().getOutbound();
    assertThat(out.getFractionLost()).isCloseTo(0.003, within(1e-12));
    assertThat(out.getLossRatio()).isEqualTo(out.getFractionLost());
  }

  @Test
  void duplicatesOutnumberingLossesAndNoReportAtAllGiveNoLoss() {
    ReceptionReport duplicated = new ReceptionReport(true, 500, -4, 0.0, 1.0);

    CallRecord r =
        CallRecordMessages.toProto(
            CallRecordFileTest.record(
                "dup@test", "line-0", Instant.now(), duplicated, ReceptionReport.NONE));

    assertThat(r.getRtp().getInbound().getFractionLost()).isZero();
    assertThat(r.getRtp().getInbound().getCumulativeLost()).isEqualTo(-4);
    assertThat(r.getRtp().getOutbound().getReported()).isFalse();
    assertThat(r.getRtp().getOutbound().getFractionLost()).isZero();
  }
}

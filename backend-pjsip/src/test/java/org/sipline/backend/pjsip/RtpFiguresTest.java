package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.RtpStatistics;

class RtpFiguresTest {
  /** tx 500/80000, rx 480/76800 with 20 lost and 0 dup, jitter 2500 us, 3 reports, ... */
  private static long[] figures() {
    return new long[] {500, 80_000, 480, 76_800, 20, 0, 2_500, 3, 5, 1_250, 4_200, 1};
  }

  @Test
  void everyFigureLandsInItsPlace() {
    RtpStatistics s = RtpFigures.of(figures());

    assertThat(s.packetsSent()).isEqualTo(500);
    assertThat(s.octetsSent()).isEqualTo(80_000);
    assertThat(s.packetsReceived()).isEqualTo(480);
    assertThat(s.octetsReceived()).isEqualTo(76_800);
    assertThat(s.inbound().reported()).isTrue();
    assertThat(s.inbound().expected()).isEqualTo(500);
    assertThat(s.inbound().cumulativeLost()).isEqualTo(20);
    assertThat(s.inbound().fractionLost()).isEqualTo(0.04);
    assertThat(s.inbound().jitterMillis()).isEqualTo(2.5);
    assertThat(s.outbound().reported()).isTrue();
    assertThat(s.outbound().expected()).isEqualTo(500);
    assertThat(s.outbound().cumulativeLost()).isEqualTo(5);
    assertThat(s.outbound().fractionLost()).isEqualTo(0.01);
    assertThat(s.outbound().jitterMillis()).isEqualTo(1.25);
    assertThat(s.roundTripMillis()).isEqualTo(4.2);
    assertThat(s.rtcpReceived()).isEqualTo(3);
    assertThat(s.farEndPacketsSent()).isEqualTo(-1);
  }

  @Test
  void unknownFiguresStayUnknown() {
    long[] v = figures();
    v[RtpFigures.FAR_REPORTS] = 0;
    v[RtpFigures.TX_JITTER_US] = -1;
    v[RtpFigures.RTT_US] = -1;
    v[RtpFigures.RX_JITTER_US] = -1;
    RtpStatistics s = RtpFigures.of(v);

    assertThat(s.outbound().reported()).isFalse();
    assertThat(s.hasRoundTrip()).isFalse();
    assertThat(s.inbound().jitterMillis()).isZero();
  }

  @Test
  void duplicatesDoNotCountAsLostAndNothingReceivedIsNoReport() {
    long[] v = figures();
    v[RtpFigures.RX_DUP] = 30;
    assertThat(RtpFigures.of(v).inbound().cumulativeLost()).isZero();

    v[RtpFigures.RX_PACKETS] = 0;
    assertThat(RtpFigures.of(v).inbound().reported()).isFalse();
  }

  @Test
  void noStreamIsNone() {
    long[] v = figures();
    v[RtpFigures.STREAMS] = 0;
    assertThat(RtpFigures.of(v)).isSameAs(RtpStatistics.NONE);
  }

  @Test
  void aTerminalEventsFieldsAfterItsDescriptionAreTheFigures() {
    List<String> fields = new ArrayList<>(List.of("BYE received"));
    for (long f : figures()) {
      fields.add(Long.toString(f));
    }
    assertThat(RtpFigures.ofFields(fields, 1)).isEqualTo(RtpFigures.of(figures()));
    assertThat(RtpFigures.ofFields(List.of("BYE received"), 1)).isSameAs(RtpStatistics.NONE);

    fields.set(3, "x");
    assertThatThrownBy(() -> RtpFigures.ofFields(fields, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RTP figure 2 not a number: 'x'");
  }

  @Test
  void aFigureBelowMinusOneIsRefused() {
    long[] v = figures();
    v[RtpFigures.TX_LOST] = -7;
    assertThatThrownBy(() -> RtpFigures.of(v))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RTP figure 8 is -7");
    assertThatThrownBy(() -> RtpFigures.of(new long[3])).hasMessage("RTP figures: 3 of 12 fields");
  }
}

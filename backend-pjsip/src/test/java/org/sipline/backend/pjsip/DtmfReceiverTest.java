package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.spi.DtmfEvent.end;
import static org.sipline.core.spi.DtmfEvent.start;
import static org.sipline.core.spi.DtmfMethod.RFC4733;
import static org.sipline.core.spi.DtmfMethod.SIP_INFO;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.DtmfEvent;

class DtmfReceiverTest {
  private static final int UPDATE = 1;
  private static final int END = DtmfReceiver.FLAG_END;
  private static final long MS = 1_000_000L;

  private final List<DtmfEvent> events = new ArrayList<>();
  private final DtmfReceiver receiver = new DtmfReceiver(events::add);

  /** An RFC 4733 report as pjsua gives it. */
  private void rtp(char digit, long timestamp, long duration, int flags, long atMillis) {
    receiver.report(digit, 0, timestamp, duration, flags, atMillis * MS);
  }

  @Test
  void aDigitStartsOnItsFirstPacketAndEndsOnceWithItsDuration() {
    rtp('5', 1000, 20, 0, 0);
    assertThat(events).containsExactly(start('5', RFC4733));

    rtp('5', 1000, 40, UPDATE, 20);
    rtp('5', 1000, 160, UPDATE, 160);
    rtp('5', 1000, 180, UPDATE | END, 180);

    assertThat(events).containsExactly(start('5', RFC4733), end('5', 180, RFC4733));
  }

  @Test
  void theEndPacketsRetransmissionsAndLatePacketsNeverMakeASecondDigit() {
    rtp('1', 1000, 20, 0, 0);
    rtp('1', 1000, 100, UPDATE | END, 100);
    // pjmedia hides repeated end packets, but a reordered update would look new to it.
    rtp('1', 1000, 100, UPDATE | END, 120);
    rtp('1', 1000, 80, 0, 130);

    assertThat(events).containsExactly(start('1', RFC4733), end('1', 100, RFC4733));
  }

  @Test
  void theSameDigitTwiceIsTwoDigitsBecauseTheirTimestampsDiffer() {
    rtp('5', 1000, 100, END, 100);
    // pjmedia takes this for an update of the first (same digit, duration not shorter).
    rtp('5', 1400, 120, UPDATE, 420);
    rtp('5', 1400, 120, UPDATE | END, 440);

    assertThat(events)
        .containsExactly(
            start('5', RFC4733),
            end('5', 100, RFC4733),
            start('5', RFC4733),
            end('5', 120, RFC4733));
  }

  @Test
  void aDigitWhoseEndPacketsWereLostEndsWhenTheNextStartsWithTheLongestDurationSeen() {
    rtp('2', 1000, 20, 0, 0);
    rtp('2', 1000, 60, UPDATE, 40);
    rtp('3', 1200, 20, 0, 200);

    assertThat(events)
        .containsExactly(start('2', RFC4733), end('2', 60, RFC4733), start('3', RFC4733));
  }

  @Test
  void aDigitWhoseEndPacketsWereLostEndsAfterHalfASecondWithoutPackets() {
    rtp('#', 1000, 20, 0, 0);
    rtp('#', 1000, 80, UPDATE, 60);

    receiver.expire(60 * MS + DtmfReceiver.LOST_END_NANOS - 1);
    assertThat(events).containsExactly(start('#', RFC4733));
    assertThat(receiver.active()).isTrue();

    receiver.expire(60 * MS + DtmfReceiver.LOST_END_NANOS);
    assertThat(events).containsExactly(start('#', RFC4733), end('#', 80, RFC4733));
    assertThat(receiver.active()).isFalse();
  }

  @Test
  void aDigitStillHeldEndsWithTheCall() {
    rtp('9', 1000, 40, 0, 0);

    receiver.callEnded();
    receiver.callEnded();

    assertThat(events).containsExactly(start('9', RFC4733), end('9', 40, RFC4733));
  }

  @Test
  void aFirstPacketThatIsAlreadyAnEndGivesStartAndEnd() {
    rtp('A', 1000, 100, END, 0);

    assertThat(events).containsExactly(start('A', RFC4733), end('A', 100, RFC4733));
  }

  @Test
  void aSipInfoDigitIsReportedAsStartAndEndWithItsSource() {
    receiver.report('7', 1, 5000, 250, END, 0);
    receiver.report('7', 1, 5100, DtmfReceiver.UNKNOWN_DURATION, END, 0);

    assertThat(events)
        .containsExactly(
            start('7', SIP_INFO),
            end('7', 250, SIP_INFO),
            start('7', SIP_INFO),
            end('7', 0, SIP_INFO));
  }
}

package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.core.spi.DtmfEvent.end;
import static org.sipline.core.spi.DtmfEvent.start;
import static org.sipline.core.spi.DtmfMethod.RFC4733;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.DtmfEvent;

/** RFC 4733 packets as they come off the wire, in the orders and losses real networks make. */
class TelephoneEventReceiverTest {
  private final List<DtmfEvent> digits = new ArrayList<>();
  private final TelephoneEventReceiver receiver = new TelephoneEventReceiver(digits::add);

  /** The arrival clock: each packet comes 20 ms after the one before. */
  private long now;

  private static final long MS = 1_000_000L;

  private static byte[] event(int code, boolean end, int duration) {
    byte[] b = new byte[4];
    TelephoneEventPayload.write(b, 0, code, end, 10, duration);
    return b;
  }

  private void packet(long timestamp, int code, boolean end, int duration) throws Exception {
    byte[] b = event(code, end, duration);
    receiver.onPacket(timestamp, now, b, 0, b.length);
    now += 20 * MS;
  }

  /** A digit as a well-behaved sender makes it: updates every 20 ms, then the end three times. */
  private void digit(long timestamp, int code, int durationSamples) throws Exception {
    for (int d = 160; d < durationSamples; d += 160) {
      packet(timestamp, code, false, d);
    }
    for (int i = 0; i < 3; i++) {
      packet(timestamp, code, true, durationSamples);
    }
  }

  @Test
  void aDigitIsStartedOnItsFirstPacketAndEndedOnceWithItsDuration() throws Exception {
    packet(1000, 5, false, 160);
    assertThat(digits).containsExactly(start('5', RFC4733));

    packet(1000, 5, false, 320);
    packet(1000, 5, false, 480);
    assertThat(digits).hasSize(1);

    packet(1000, 5, true, 800);
    packet(1000, 5, true, 800);
    packet(1000, 5, true, 800);

    assertThat(digits).containsExactly(start('5', RFC4733), end('5', 100, RFC4733));
    assertThat(receiver.digits()).isEqualTo(1);
  }

  @Test
  void everyDigitAndItsDurationIsReportedInOrder() throws Exception {
    digit(1000, 1, 800);
    digit(3000, 11, 1600);
    digit(6000, 10, 320);
    digit(8000, 15, 400);
    digit(9000, 0, 1440);

    assertThat(digits)
        .containsExactly(
            start('1', RFC4733),
            end('1', 100, RFC4733),
            start('#', RFC4733),
            end('#', 200, RFC4733),
            start('*', RFC4733),
            end('*', 40, RFC4733),
            start('D', RFC4733),
            end('D', 50, RFC4733),
            start('0', RFC4733),
            end('0', 180, RFC4733));
  }

  @Test
  void theSameDigitTwiceIsTwoDigitsBecauseItsTimestampsDiffer() throws Exception {
    digit(1000, 7, 800);
    digit(2600, 7, 800);

    assertThat(digits)
        .containsExactly(
            start('7', RFC4733),
            end('7', 100, RFC4733),
            start('7', RFC4733),
            end('7', 100, RFC4733));
  }

  @Test
  void retransmittedEndPacketsAndLateUpdatesNeverMakeASecondDigit() throws Exception {
    digit(1000, 3, 800);
    packet(1000, 3, true, 800); // a fourth end, as some senders do
    packet(1000, 3, false, 480); // an update that came late
    packet(1000, 3, false, 160); // and the start itself, last

    assertThat(digits).containsExactly(start('3', RFC4733), end('3', 100, RFC4733));
  }

  @Test
  void aLostStartStillGivesStartThenEnd() throws Exception {
    packet(1000, 9, false, 480); // 160 and 320 lost
    assertThat(digits).containsExactly(start('9', RFC4733));
    packet(1000, 9, true, 640);

    assertThat(digits).containsExactly(start('9', RFC4733), end('9', 80, RFC4733));
  }

  @Test
  void onlyAnEndPacketArrivingGivesStartAndEndAtOnce() throws Exception {
    packet(1000, 4, true, 960);
    packet(1000, 4, true, 960);

    assertThat(digits).containsExactly(start('4', RFC4733), end('4', 120, RFC4733));
  }

  @Test
  void lostEndPacketsFollowedByANewDigitEndTheOldOneWithItsLastDuration() throws Exception {
    packet(1000, 2, false, 160);
    packet(1000, 2, false, 320);
    packet(1000, 2, false, 480); // its end packets never come

    digit(3000, 8, 800);

    assertThat(digits)
        .containsExactly(
            start('2', RFC4733),
            end('2', 60, RFC4733),
            start('8', RFC4733),
            end('8', 100, RFC4733));
  }

  @Test
  void reorderedPacketsOfOneDigitStartItOnceAndEndItOnTheFirstEndPacket() throws Exception {
    packet(1000, 6, false, 320); // the second packet overtook the first
    packet(1000, 6, false, 160);
    packet(1000, 6, true, 640); // the end overtook the last update
    packet(1000, 6, false, 480);
    packet(1000, 6, true, 640);

    assertThat(digits).containsExactly(start('6', RFC4733), end('6', 80, RFC4733));
  }

  @Test
  void aStragglerOfAnEarlierDigitIsIgnoredAfterTheNextOneStarted() throws Exception {
    packet(1000, 1, false, 160);
    packet(2000, 2, false, 160); // digit 2 starts; digit 1's end packets arrive after it
    packet(1000, 1, true, 480);
    packet(2000, 2, true, 320);

    assertThat(digits)
        .containsExactly(
            start('1', RFC4733), end('1', 20, RFC4733), start('2', RFC4733), end('2', 40, RFC4733));
  }

  @Test
  void timestampsAreComparedAcrossTheirWrapAt2To32() throws Exception {
    digit(0xFFFF_FF00L, 1, 320);
    digit(0x0000_0100L, 2, 320); // after the wrap: newer
    packet(0xFFFF_FF00L, 1, true, 320); // a straggler from before the wrap: older

    assertThat(digits)
        .containsExactly(
            start('1', RFC4733), end('1', 40, RFC4733), start('2', RFC4733), end('2', 40, RFC4733));
  }

  @Test
  void audioWellPastAnOpenDigitEndsItWhenItsEndPacketsWereLost() throws Exception {
    packet(1000, 5, false, 160);
    packet(1000, 5, false, 320);
    // Audio alongside the digit, as baresip sends it, is within the grace: the digit stays open.
    receiver.onAudio(1000L + 320);
    receiver.onAudio(1000L + 320 + TelephoneEventReceiver.END_GRACE_MILLIS * 8L);
    assertThat(digits).containsExactly(start('5', RFC4733));

    receiver.onAudio(1000L + 320 + TelephoneEventReceiver.END_GRACE_MILLIS * 8L + 160);

    assertThat(digits).containsExactly(start('5', RFC4733), end('5', 40, RFC4733));
    packet(1000, 5, true, 480); // its end, very late: the digit was reported already
    assertThat(digits).hasSize(2);
  }

  @Test
  void aDigitWhoseEndPacketsWereLostEndsByTheClockWhenNothingElseComes() throws Exception {
    packet(1000, 5, false, 160); // at 0 ms: the digit began 20 ms before
    packet(1000, 5, false, 320); // at 20 ms
    packet(1000, 5, false, 480); // at 40 ms: reports 60 ms held; its end packets never come
    // Nothing more, no audio either: its known end is 40 ms, and the grace runs from there.
    receiver.expire(40 * MS + TelephoneEventReceiver.END_GRACE_MILLIS * MS);
    assertThat(digits).containsExactly(start('5', RFC4733));

    receiver.expire(40 * MS + TelephoneEventReceiver.END_GRACE_MILLIS * MS + 1);

    assertThat(digits).containsExactly(start('5', RFC4733), end('5', 60, RFC4733));
    receiver.expire(10_000 * MS);
    packet(1000, 5, true, 800); // its end, very late: the digit was reported already
    assertThat(digits).hasSize(2);
  }

  @Test
  void theClockCountsFromTheEndTheLastPacketReportedNotOnlyFromItsArrival() throws Exception {
    packet(1000, 5, false, 160); // at 0 ms: began at -20 ms
    // Held back by the network, the next update comes only 10 ms later but says 100 ms held:
    // the digit is known to last until 80 ms by our clock, later than that packet's arrival.
    receiver.onPacket(1000, 10 * MS, event(5, false, 800), 0, 4);
    receiver.expire(80 * MS + TelephoneEventReceiver.END_GRACE_MILLIS * MS);
    assertThat(digits).containsExactly(start('5', RFC4733));

    receiver.expire(80 * MS + TelephoneEventReceiver.END_GRACE_MILLIS * MS + 1);

    assertThat(digits).containsExactly(start('5', RFC4733), end('5', 100, RFC4733));
  }

  @Test
  void updatesThatKeepComingKeepTheDigitOpenHoweverLongItLasts() throws Exception {
    for (int d = 160; d <= 16_000; d += 160) { // two seconds of updates, 20 ms apart
      packet(1000, 3, false, d);
      receiver.expire(now);
    }
    assertThat(digits).containsExactly(start('3', RFC4733));
    packet(1000, 3, true, 16_000);
    receiver.expire(now + 10_000 * MS);
    assertThat(digits).containsExactly(start('3', RFC4733), end('3', 2000, RFC4733));
  }

  @Test
  void theClockEndsNothingWhenNoDigitIsOpen() throws Exception {
    receiver.expire(0);
    digit(1000, 1, 320);
    receiver.expire(now + 10_000 * MS);
    assertThat(digits).containsExactly(start('1', RFC4733), end('1', 40, RFC4733));
  }

  @Test
  void eventsThatAreNotDigitsAreCountedAndIgnored() throws Exception {
    packet(1000, 16, false, 160); // flash
    packet(1000, 16, true, 800);
    digit(2000, 1, 320);

    assertThat(digits).containsExactly(start('1', RFC4733), end('1', 40, RFC4733));
    assertThat(receiver.otherEvents()).isEqualTo(1);
  }

  @Test
  void aNewStreamEndsAnOpenDigitAndForgetsTheOldTimestamps() throws Exception {
    packet(5000, 1, false, 160);
    receiver.newStream();
    packet(100, 2, false, 160); // an older timestamp, but in the new stream
    packet(100, 2, true, 320);

    assertThat(digits)
        .containsExactly(
            start('1', RFC4733), end('1', 20, RFC4733), start('2', RFC4733), end('2', 40, RFC4733));
  }

  @Test
  void aPayloadShorterThanAnEventIsRefusedNamingItsSize() {
    assertThatThrownBy(() -> receiver.onPacket(1000, 0, new byte[] {5, 0, 1}, 0, 3))
        .isInstanceOf(MalformedRtpException.class)
        .hasMessage("telephone-event size 3 < 4");
    assertThat(digits).isEmpty();
  }

  @Test
  void theParserReadsEveryFieldAndToleratesATrailingPad() throws Exception {
    TelephoneEventPayload p = new TelephoneEventPayload();
    byte[] b = {0, 0, 11, (byte) 0x8A, (byte) 0xFF, (byte) 0xFE, 0, 0};

    p.parse(b, 2, 6);

    assertThat(p.event()).isEqualTo(11);
    assertThat(p.end()).isTrue();
    assertThat(p.volume()).isEqualTo(10);
    assertThat(p.duration()).isEqualTo(0xFFFE);
  }

  @Test
  void theReservedBitIsNeitherEndNorVolume() throws Exception {
    TelephoneEventPayload p = new TelephoneEventPayload();
    p.parse(new byte[] {3, 0x40 | 7, 0, (byte) 160}, 0, 4);

    assertThat(p.end()).isFalse();
    assertThat(p.volume()).isEqualTo(7);
    assertThat(p.duration()).isEqualTo(160);
  }
}

package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.LineHarness.get;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipline.core.records.CallDirection;
import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallRecord;
import org.sipline.core.records.CallSide;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.ReceptionReport;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;
import org.sipline.testing.TestWavs;

/** One call record per call, for every way a call ends, with the right code, side and ending. */
class LineCallRecordsTest {
  private final BlockingQueue<CallRecord> records = new LinkedBlockingQueue<>();

  private LineHarness harness() {
    return new LineHarness(
        LineConfig.builder()
            .registerWait(LineHarness.PATIENCE)
            .hangupWait(LineHarness.PATIENCE)
            .name("sales")
            .callRecords(records::add)
            .build());
  }

  private CallRecord next() {
    try {
      CallRecord r = records.poll(LineHarness.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(r).as("a call record").isNotNull();
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertEnding(
      CallRecord r, int code, CallSide side, CallEnding ending, boolean answered) {
    assertThat(r.sipCode()).as("SIP code of %s", r).isEqualTo(code);
    assertThat(r.endedBy()).as("side of %s", r).isEqualTo(side);
    assertThat(r.ending()).as("ending of %s", r).isEqualTo(ending);
    assertThat(r.wasAnswered()).as("answered %s", r).isEqualTo(answered);
    assertThat(r.line()).isEqualTo("sales");
    assertThat(r.account()).isEqualTo(LineHarness.ACCOUNT);
    assertThat(r.ended()).isAfterOrEqualTo(r.invited());
  }

  @Test
  void answeredOutgoingCallHungUpByTheFarEnd() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      call.remoteBye();
      CallRecord r = next();
      assertEnding(r, 200, CallSide.REMOTE, CallEnding.BYE, true);
      assertThat(r.callId()).isEqualTo(call.callId());
      assertThat(r.direction()).isEqualTo(CallDirection.OUTGOING);
      assertThat(r.remote()).isEqualTo("answer@fake.test");
      assertThat(r.codec()).isEqualTo("PCMU");
      assertThat(r.answered()).isBetween(r.invited(), r.ended());
      assertThat(r.sipReason()).isEqualTo("OK");
      assertThat(r.description()).contains("BYE from answer@fake.test");
    }
  }

  @Test
  void answeredIncomingCallHungUpHere() {
    try (LineHarness h = harness()) {
      h.connectedIn();
      get(h.line.endCall(false));
      CallRecord r = next();
      assertEnding(r, 200, CallSide.LOCAL, CallEnding.BYE, true);
      assertThat(r.direction()).isEqualTo(CallDirection.INCOMING);
      assertThat(r.remote()).isEqualTo("alice@caller.test");
    }
  }

  @Test
  void busyCalleeIsRejectedByTheFarEnd() {
    try (LineHarness h = harness()) {
      h.fake.script("busy", FakeScript.reject(486, "Busy Here"));
      h.ready(0);
      get(h.line.startCall("busy", Map.of()));
      CallRecord r = next();
      assertEnding(r, 486, CallSide.REMOTE, CallEnding.REJECTED, false);
      assertThat(r.sipReason()).isEqualTo("Busy Here");
      assertThat(r.codec()).isEmpty();
      assertThat(r.mosReceived()).isZero();
    }
  }

  @Test
  void outgoingCallCancelledHere() {
    try (LineHarness h = harness()) {
      h.dialing();
      get(h.line.endCall(false));
      assertEnding(next(), 487, CallSide.LOCAL, CallEnding.CANCEL, false);
    }
  }

  @Test
  void incomingCallCancelledByTheCaller() {
    try (LineHarness h = harness()) {
      FakeCall call = h.ringingIn();
      call.remoteCancel();
      assertEnding(next(), 487, CallSide.REMOTE, CallEnding.CANCEL, false);
    }
  }

  @Test
  void ringingIncomingCallDeclinedHere() {
    try (LineHarness h = harness()) {
      h.ringingIn();
      get(h.line.endCall(false));
      assertEnding(next(), 603, CallSide.LOCAL, CallEnding.REJECTED, false);
    }
  }

  @Test
  void secondIncomingCallIsRefusedBusyWithARecordOfItsOwn() {
    try (LineHarness h = harness()) {
      h.connectedIn();
      FakeCall second =
          h.fake.callIn(LineHarness.ACCOUNT, SipUri.of("bob", "caller.test", -1), Map.of());
      CallRecord r = next();
      assertEnding(r, 486, CallSide.LOCAL, CallEnding.REJECTED, false);
      assertThat(r.callId()).isEqualTo(second.callId());
      assertThat(r.remote()).isEqualTo("bob@caller.test");
      assertThat(r.description()).contains("busy with Call-ID");
      assertThat(second.finalCode()).isEqualTo(486);
    }
  }

  @Test
  void transferredCall() {
    try (LineHarness h = harness()) {
      h.fake.script("xfer", FakeScript.answer().referAnswer(202).notifyOutcome(200));
      h.connectedOut("xfer");
      get(h.line.transferCall("human", Map.of()));
      assertEnding(next(), 200, CallSide.LOCAL, CallEnding.TRANSFER, true);
    }
  }

  @Test
  void mediaTimeout() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      call.mediaTimeout();
      CallRecord r = next();
      assertEnding(r, 200, CallSide.LOCAL, CallEnding.MEDIA_TIMEOUT, true);
      assertThat(r.description()).contains("no RTP from answer@fake.test");
    }
  }

  @Test
  void hardHangupIsATeardown() {
    try (LineHarness h = harness()) {
      h.connectedOut();
      get(h.line.endCall(true));
      assertEnding(next(), 200, CallSide.LOCAL, CallEnding.TEARDOWN, true);
    }
  }

  @Test
  void shutdownDuringACallIsTheShutdownsEnding() {
    try (LineHarness h = harness()) {
      h.connectedOut();
      get(h.line.shutdown());
      assertEnding(next(), 200, CallSide.LOCAL, CallEnding.SHUTDOWN, true);
    }
  }

  @Test
  void closingTheLineDuringACallIsAShutdown() {
    LineHarness h = harness();
    h.connectedIn();
    h.close();
    assertEnding(next(), 200, CallSide.LOCAL, CallEnding.SHUTDOWN, true);
  }

  @Test
  void unansweredCallTimesOutOnTheLinesOwnBound() {
    try (LineHarness h =
        new LineHarness(
            LineConfig.builder()
                .registerWait(LineHarness.PATIENCE)
                .callSetupWait(Duration.ofMillis(200))
                .name("sales")
                .callRecords(records::add)
                .build())) {
      h.dialing();
      CallRecord r = next();
      assertEnding(r, 0, CallSide.LOCAL, CallEnding.TIMEOUT, false);
      assertThat(r.sipReason()).contains("not connected within");
    }
  }

  @Test
  void recordCarriesPromptsDigitsAndTheBackendsRtpFiguresWithMos() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      get(h.line.playWavFiles(List.of(TestWavs.sine(8000, 1, 440, 100, 0.5))));
      get(
          h.line.playWavFiles(
              List.of(
                  TestWavs.sine(8000, 1, 440, 100, 0.5), TestWavs.sine(8000, 1, 880, 100, 0.5))));
      call.dtmf(DtmfEvent.start('5', DtmfMethod.RFC4733));
      call.dtmf(DtmfEvent.end('5', 120, DtmfMethod.RFC4733));
      call.dtmf(DtmfEvent.end('#', 120, DtmfMethod.SIP_INFO));
      RtpStatistics rtp =
          new RtpStatistics(
              500,
              80_000,
              495,
              79_200,
              new ReceptionReport(true, 500, 5, 0.01, 2.5),
              new ReceptionReport(true, 500, 0, 0, 1.0),
              500,
              80_000,
              40,
              3,
              2,
              0);
      call.setRtpStatistics(rtp);
      call.remoteBye();
      CallRecord r = next();
      assertThat(r.promptsPlayed()).isEqualTo(3);
      assertThat(r.dtmfReceived()).isEqualTo(2);
      assertThat(r.rtp()).isEqualTo(rtp);
      // 1 % random loss on G.711 without concealment: R = 93.2 − 95·1/(1 + 4.3) = 75.28.
      assertThat(r.mosReceived()).isCloseTo(3.834, org.assertj.core.data.Offset.offset(0.001));
      assertThat(r.mosSent()).isCloseTo(4.409, org.assertj.core.data.Offset.offset(0.001));
    }
  }

  @Test
  void aFailingSinkCostsTheRecordButNotTheLine() {
    try (LineHarness h =
        new LineHarness(
            LineConfig.builder()
                .registerWait(LineHarness.PATIENCE)
                .callRecords(
                    r -> {
                      throw new IllegalStateException("disk full");
                    })
                .build())) {
      FakeCall call = h.connectedOut();
      call.remoteBye();
      h.await(StatusType.OUTGOING_CALL_FINISHED);
      h.await(StatusType.READY);
    }
  }

  @Test
  void aBackendThatCannotTellItsFiguresStillGetsARecord() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      call.setRtpStatistics(null); // a backend that answers null
      call.remoteBye();
      CallRecord r = next();
      assertThat(r.rtp()).isEqualTo(RtpStatistics.NONE);
    }
  }
}

package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.core.media.MediaRig.FRAME;
import static org.sipline.core.media.MediaRig.constant;
import static org.sipline.core.media.MediaRig.drain;
import static org.sipline.core.media.MediaRig.le;
import static org.sipline.core.media.MediaRig.only;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.sipline.core.AlreadyExistsException;
import org.sipline.core.FailedPreconditionException;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipFailureException;

/** Where streams come from and how they end: NEXT, one writer, take-over, detach, resume, end. */
class StreamLifeTest {
  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within 10 s");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static MediaStream converse(MediaRig rig) {
    return rig.hub.converse(ConverseOptions.defaults(CallSelector.CURRENT));
  }

  private static ConverseOptions takeOver() {
    return new ConverseOptions(CallSelector.CURRENT, null, null, 0, 0, 0, 0, true, "");
  }

  @Test
  void currentWithoutACallIsAFailedPrecondition() {
    try (MediaRig rig = new MediaRig()) {
      assertThatThrownBy(() -> rig.hub.converse(ConverseOptions.defaults(CallSelector.CURRENT)))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("no call in progress");
      assertThatThrownBy(() -> rig.hub.interrupt("", ""))
          .isInstanceOf(FailedPreconditionException.class);
    }
  }

  @Test
  void nextIsReturnedAtOnceAndAttachedBeforeTheCallsFirstFrame() {
    try (MediaRig rig = new MediaRig()) {
      MediaStream s = rig.hub.converse(ConverseOptions.defaults(CallSelector.NEXT));
      int[] wakeups = new int[1];
      s.onAvailable(() -> wakeups[0]++);
      // Told at once that it was taken and waits; nothing else until the call.
      assertThat(s.poll())
          .isEqualTo(
              new MediaEvent.CallState(
                  1, MediaEvent.CallState.State.WAITING, 0, "waiting for the next call", 0));
      assertThat(s.poll()).isNull();
      assertThat(s.isFinished()).isFalse();
      rig.setUp();
      // The caller's first packet arrives before the line even records the call connected.
      rig.media.sink().write(constant(160, 3), 0, 160);
      assertThat(wakeups[0]).isPositive();
      List<MediaEvent> events = drain(s);
      MediaEvent.Opened opened = (MediaEvent.Opened) events.get(0);
      assertThat(opened.sequence()).isEqualTo(2);
      assertThat(opened.position()).isZero();
      assertThat(opened.callId()).isEqualTo(rig.call.callId());
      MediaEvent.AudioIn first = only(events, MediaEvent.AudioIn.class).get(0);
      assertThat(first.position()).isZero();
      rig.call.connected();
      assertThat(only(drain(s), MediaEvent.CallState.class))
          .extracting(MediaEvent.CallState::ended)
          .containsExactly(false);
    }
  }

  @Test
  void nextStreamsOfACallThatNeverConnectedWaitForTheFollowingOne() {
    try (MediaRig rig = new MediaRig()) {
      MediaStream s = rig.hub.converse(ConverseOptions.defaults(CallSelector.NEXT));
      rig.setUp();
      CallAudio failed = rig.call;
      failed.ended(486, "Busy Here");
      assertThat(((MediaEvent.CallState) s.poll()).state())
          .isEqualTo(MediaEvent.CallState.State.WAITING);
      assertThat(s.poll()).isNull();
      rig.connected();
      MediaEvent.Opened opened = (MediaEvent.Opened) s.poll();
      assertThat(opened.callId()).isEqualTo(rig.call.callId()).isNotEqualTo(failed.callId());
    }
  }

  @Test
  void aSecondWriterIsRefusedUnlessItTakesOver() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream first = converse(rig);
      drain(first);
      first.audio("u1", le(constant(800, 11)), false);
      first.mark("m1");
      assertThatThrownBy(() -> converse(rig))
          .isInstanceOf(AlreadyExistsException.class)
          .hasMessageContaining("take_over");
      MediaStream second = rig.hub.converse(takeOver());
      second.audio("v1", le(constant(100, 22)), true);
      rig.tick(1);
      // The old writer's audio is gone at the next frame; the new one's plays.
      assertThat(rig.frames.get(0)).containsOnly((short) 0, (short) 22);
      List<MediaEvent> old = drain(first);
      assertThat(only(old, MediaEvent.MarkResolved.class))
          .extracting(MediaEvent.MarkResolved::outcome)
          .containsExactly(MarkOutcome.DETACHED);
      assertThat(old.get(old.size() - 1)).isInstanceOf(MediaEvent.Statistics.class);
      assertThat(first.isFinished()).isTrue();
      assertThat(drain(second).get(0)).isInstanceOf(MediaEvent.Opened.class);
    }
  }

  @Test
  void aDetachedWriterFallsSilentAtOnceAndResumesWithEverythingItMissed() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = converse(rig);
      drain(s);
      s.audio("u1", le(constant(4000, 99)), false);
      s.mark("m1");
      rig.tick(2);
      rig.media.sink().write(constant(160, 5), 0, 160);
      drain(s);
      long lastSeen = 0;
      s.detach();
      rig.tick(1); // the clear (with its fade) goes out in the very next frame
      rig.tick(1);
      assertThat(rig.frames.get(3)).containsOnly((short) 0);
      rig.media.sink().write(constant(160, 6), 0, 160); // audio while nobody listens
      assertThatThrownBy(() -> s.audio("u2", new byte[2], false))
          .isInstanceOf(IllegalStateException.class);
      assertThat(s.poll()).isNull();
      assertThat(s.isFinished()).isTrue();

      MediaStream back =
          rig.hub.converse(
              new ConverseOptions(
                  CallSelector.CURRENT, null, null, 0, 0, 0, 0, false, s.resumeToken()));
      List<MediaEvent> events = drain(back);
      MediaEvent.Opened opened = (MediaEvent.Opened) events.get(0);
      assertThat(opened.resumed()).isTrue();
      assertThat(opened.resumeToken()).isEqualTo(s.resumeToken());
      List<MediaEvent.MarkResolved> marks = only(events, MediaEvent.MarkResolved.class);
      assertThat(marks)
          .extracting(MediaEvent.MarkResolved::outcome)
          .containsExactly(MarkOutcome.DETACHED);
      MediaEvent.Cleared cleared = only(events, MediaEvent.Cleared.class).get(0);
      assertThat(cleared.interruptedUtterance()).isEqualTo("u1");
      assertThat(cleared.playedSamples()).isEqualTo(2 * FRAME + Utterance.FADE);
      // Numbers continue: the missed events carry theirs, below the new Opened's.
      assertThat(marks.get(0).sequence()).isGreaterThan(lastSeen).isLessThan(opened.sequence());
      List<MediaEvent.AudioIn> audio = only(events, MediaEvent.AudioIn.class);
      assertThat(audio).extracting(MediaEvent.AudioIn::replayed).containsOnly(true);
      assertThat(audio)
          .extracting(MediaEvent.AudioIn::position)
          .containsExactly(2L * FRAME, 3L * FRAME);
      back.audio("u2", le(constant(100, 44)), true);
      rig.tick(1);
      assertThat(rig.frames.get(4)).contains((short) 44);
    }
  }

  @Test
  void aWriterDetachedByARefusalPlaysItsQueueToTheEndAndAResumeGetsItsMarks() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = converse(rig);
      drain(s);
      s.audio("u1", le(constant(5 * FRAME, 9)), true);
      s.mark("m1");
      rig.tick(1);
      drain(s);
      s.detachKeepingQueue();
      assertThatThrownBy(() -> s.mark("m2")).isInstanceOf(IllegalStateException.class);
      assertThat(s.poll()).isNull();
      rig.tick(5);
      // Every queued sample went out, to the last; then silence.
      for (int f = 0; f < 5; f++) {
        assertThat(rig.frames.get(f)).as("frame %d", f).containsOnly((short) 9);
      }
      assertThat(rig.frames.get(5)).containsOnly((short) 0);

      MediaStream back =
          rig.hub.converse(
              new ConverseOptions(
                  CallSelector.CURRENT, null, null, 0, 0, 0, 0, false, s.resumeToken()));
      List<MediaEvent> events = drain(back);
      assertThat(((MediaEvent.Opened) events.get(0)).resumed()).isTrue();
      assertThat(only(events, MediaEvent.MarkResolved.class))
          .containsExactly(
              new MediaEvent.MarkResolved(
                  only(events, MediaEvent.MarkResolved.class).get(0).sequence(),
                  "m1",
                  MarkOutcome.PLAYED,
                  5L * FRAME));
      assertThat(only(events, MediaEvent.Cleared.class)).isEmpty();
      assertThat(only(events, MediaEvent.Playout.class))
          .filteredOn(MediaEvent.Playout::utteranceEnded)
          .extracting(MediaEvent.Playout::utteranceId, MediaEvent.Playout::utterancePlayedSamples)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("u1", 5L * FRAME));
      // The resumed writer carries on where the refused one stopped.
      back.audio("u2", le(constant(FRAME, 4)), true);
      rig.tick(1);
      assertThat(rig.frames.get(6)).containsOnly((short) 4);
    }
  }

  @Test
  void aRefusedWriterNotBackWithinItsGraceLosesWhatIsLeftAndThePolicyApplies() {
    try (MediaRig rig =
        new MediaRig(Runnable::run, Duration.ofMillis(100), DetachPolicy.HANG_UP).connected()) {
      MediaStream tap = rig.hub.listen(new ListenOptions(CallSelector.CURRENT, null, 0, 0));
      MediaStream s = converse(rig);
      String token = s.resumeToken();
      s.audio("u1", le(constant(100 * FRAME, 9)), true);
      s.mark("m1");
      rig.tick(1);
      s.detachKeepingQueue();
      rig.tick(2);
      assertThat(rig.frames.get(2)).containsOnly((short) 9); // still playing within the grace
      await(() -> !rig.hungUp.isEmpty(), "hung up after the grace");
      assertThat(rig.hungUp).containsExactly(rig.call);
      rig.tick(2); // the rest is cleared at the next frame (its fade), then silence
      assertThat(rig.frames.get(4)).containsOnly((short) 0);
      assertThat(only(drain(tap), MediaEvent.MarkResolved.class))
          .extracting(MediaEvent.MarkResolved::id, MediaEvent.MarkResolved::outcome)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("m1", MarkOutcome.DETACHED));
      assertThatThrownBy(
              () ->
                  rig.hub.converse(
                      new ConverseOptions(
                          CallSelector.CURRENT, null, null, 0, 0, 0, 0, false, token)))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("resume_token");
    }
  }

  @Test
  void aResumedStreamGetsTheLastTwoSecondsOfTheCallersAudioFlaggedAndNoMore() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = converse(rig);
      drain(s);
      for (int f = 0; f < 150; f++) { // three seconds, each packet its own value
        rig.media.sink().write(constant(FRAME, f + 1), 0, FRAME);
      }
      drain(s);
      s.detach();
      MediaStream back =
          rig.hub.converse(
              new ConverseOptions(
                  CallSelector.CURRENT, null, null, 0, 0, 0, 0, false, s.resumeToken()));
      List<MediaEvent.AudioIn> replayed = only(drain(back), MediaEvent.AudioIn.class);
      assertThat(replayed).hasSize(100);
      assertThat(replayed).extracting(MediaEvent.AudioIn::replayed).containsOnly(true);
      assertThat(replayed.get(0).position()).isEqualTo(50L * FRAME);
      assertThat(replayed.get(0).data()[0]).isEqualTo((byte) 51);
      assertThat(replayed.get(99).position()).isEqualTo(149L * FRAME);
      rig.media.sink().write(constant(FRAME, 7), 0, FRAME);
      MediaEvent.AudioIn live = only(drain(back), MediaEvent.AudioIn.class).get(0);
      assertThat(live.replayed()).isFalse();
      assertThat(live.position()).isEqualTo(150L * FRAME);
      assertThat(live.droppedSamples()).isZero();
    }
  }

  @Test
  void aWriterNotBackWithinItsGraceIsGivenUpAndThePolicyHangsUp() {
    try (MediaRig rig =
        new MediaRig(Runnable::run, Duration.ofMillis(100), DetachPolicy.HANG_UP).connected()) {
      MediaStream s = converse(rig);
      String token = s.resumeToken();
      s.detach();
      await(() -> !rig.hungUp.isEmpty(), "hung up after the grace");
      assertThat(rig.hungUp).containsExactly(rig.call);
      assertThatThrownBy(
              () ->
                  rig.hub.converse(
                      new ConverseOptions(
                          CallSelector.CURRENT, null, null, 0, 0, 0, 0, false, token)))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("resume_token");
      // The writer's place is free again.
      assertThat(converse(rig).poll()).isInstanceOf(MediaEvent.Opened.class);
    }
  }

  @Test
  void keepCallIsTheDefaultPolicy() throws Exception {
    try (MediaRig rig =
        new MediaRig(Runnable::run, Duration.ofMillis(50), DetachPolicy.KEEP_CALL).connected()) {
      converse(rig).detach();
      await(
          () -> {
            try {
              converse(rig);
              return true;
            } catch (AlreadyExistsException e) {
              return false;
            }
          },
          "the writer's place free");
      assertThat(rig.hungUp).isEmpty();
    }
  }

  @Test
  void theCallsEndComesAsCallerFramesThenMarksThenCallStateThenStatistics() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = converse(rig);
      drain(s);
      s.audio("u1", le(constant(2000, 1)), false);
      s.mark("m1");
      rig.tick(1);
      for (int i = 0; i < 3; i++) {
        rig.media.sink().write(constant(160, 8), 0, 160);
      }
      rig.call.ended(487, "Request Terminated");
      List<MediaEvent> events = drain(s);
      assertThat(events)
          .extracting(e -> e.getClass().getSimpleName())
          .containsExactly(
              "AudioIn", "AudioIn", "AudioIn", "MarkResolved", "CallState", "Statistics");
      assertThat(((MediaEvent.MarkResolved) events.get(3)).outcome())
          .isEqualTo(MarkOutcome.CALL_ENDED);
      assertThat(events.get(4))
          .isEqualTo(
              new MediaEvent.CallState(
                  events.get(4).sequence(),
                  MediaEvent.CallState.State.ENDED,
                  487,
                  "Request Terminated",
                  FRAME));
      assertThat(s.isFinished()).isTrue();
      assertThat(s.poll()).isNull();
    }
  }

  @Test
  void interruptClearsAheadOfTheWriterAndAnswersWithWhatItDropped() throws Exception {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = converse(rig);
      drain(s);
      s.audio("u1", le(constant(1000, 3)), true);
      rig.tick(1);
      CompletableFuture<MediaEvent.Cleared> cleared = rig.hub.interrupt(rig.call.callId(), "");
      assertThat(cleared).isNotDone();
      s.audio("u1", le(constant(10, 3)), false); // buffered behind: fenced
      rig.tick(1);
      MediaEvent.Cleared c = cleared.get(5, TimeUnit.SECONDS);
      assertThat(c.sequence()).isZero();
      assertThat(c.interruptedUtterance()).isEqualTo("u1");
      assertThat(c.playedSamples()).isEqualTo(FRAME + Utterance.FADE);
      List<MediaEvent> events = drain(s);
      assertThat(only(events, MediaEvent.Cleared.class)).hasSize(1);
      assertThat(only(events, MediaEvent.AudioRejected.class)).hasSize(1);
      assertThatThrownBy(() -> rig.hub.interrupt("some-other-call", ""))
          .isInstanceOf(FailedPreconditionException.class);
    }
  }

  @Test
  void digitsGoOutOneByOneWhileTheQueueIsHeldAndEachIsReported() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream s = converse(rig);
      drain(s);
      s.audio("u1", le(constant(640, 7)), true);
      s.sendDtmf("12#", 0, 40);
      rig.tick(2); // held: silence, nothing consumed
      assertThat(rig.frames.get(0)).containsOnly((short) 0);
      await(
          () ->
              only(drain(s), MediaEvent.DtmfSent.class).size() == 3
                  || ((MediaRig.StubCall) rig.call.sip()).digits.size() == 3,
          "three digits sent");
      await(
          () -> {
            rig.tick(1);
            return rig.frames.get(rig.frames.size() - 1)[0] == 7;
          },
          "the queue let go");
      assertThat(((MediaRig.StubCall) rig.call.sip()).digits).containsExactly('1', '2', '#');
      rig.call.ended(0, "BYE");
      List<MediaEvent> rest = drain(s);
      assertThat(only(rest, MediaEvent.Statistics.class).get(0).counters().digitsOut())
          .isEqualTo(3);
    }
  }

  @Test
  void aDigitThatFailsIsReportedWithItsSipCodeAndEachDigitDroppedAfterItToo() {
    try (MediaRig rig = new MediaRig().connected()) {
      ((MediaRig.StubCall) rig.call.sip()).fail =
          new SipFailureException(SipFailure.response(488, "Not Acceptable Here"));
      MediaStream s = converse(rig);
      drain(s);
      s.sendDtmf("456", 100, 0);
      List<MediaEvent> events = drain(s);
      assertThat(only(events, MediaEvent.AudioRejected.class)).isEmpty();
      List<MediaEvent.DtmfSent> answers = only(events, MediaEvent.DtmfSent.class);
      assertThat(answers)
          .extracting(
              MediaEvent.DtmfSent::digit,
              MediaEvent.DtmfSent::sent,
              MediaEvent.DtmfSent::failure,
              MediaEvent.DtmfSent::sipCode,
              MediaEvent.DtmfSent::method)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple('4', false, "488 Not Acceptable Here", 488, null),
              org.assertj.core.groups.Tuple.tuple(
                  '5', false, "not sent: digit '4' before it failed", 0, null),
              org.assertj.core.groups.Tuple.tuple(
                  '6', false, "not sent: digit '4' before it failed", 0, null));
      assertThat(((MediaRig.StubCall) rig.call.sip()).digits).isEmpty();
      rig.call.ended(0, "BYE");
      assertThat(only(drain(s), MediaEvent.Statistics.class).get(0).counters().digitsOut())
          .isZero();
    }
  }

  @Test
  void aDigitThatFailsWithoutAResponseHasNoSipCode() {
    try (MediaRig rig = new MediaRig().connected()) {
      ((MediaRig.StubCall) rig.call.sip()).fail =
          new IllegalStateException("the call's RTP is closed");
      MediaStream s = converse(rig);
      drain(s);
      s.sendDtmf("7", 100, 0);
      MediaEvent.DtmfSent answer = only(drain(s), MediaEvent.DtmfSent.class).get(0);
      assertThat(answer.failure()).isEqualTo("the call's RTP is closed");
      assertThat(answer.sipCode()).isZero();
    }
  }

  @Test
  void listenWithNextIsToldItWaitsToo() {
    try (MediaRig rig = new MediaRig()) {
      MediaStream tap = rig.hub.listen(new ListenOptions(CallSelector.NEXT, null, 0, 0));
      assertThat(((MediaEvent.CallState) tap.poll()).state())
          .isEqualTo(MediaEvent.CallState.State.WAITING);
      assertThat(tap.poll()).isNull();
      rig.connected();
      List<MediaEvent> events = drain(tap);
      assertThat(events.get(0)).isInstanceOf(MediaEvent.Opened.class);
      assertThat(events.get(1))
          .isInstanceOfSatisfying(
              MediaEvent.CallState.class,
              c -> assertThat(c.state()).isEqualTo(MediaEvent.CallState.State.CONNECTED));
      // CURRENT streams never wait: Opened is their first event.
      assertThat(converse(rig).poll()).isInstanceOf(MediaEvent.Opened.class);
    }
  }
}

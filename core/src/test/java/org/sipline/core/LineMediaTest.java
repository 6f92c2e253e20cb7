package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.core.LineHarness.PATIENCE;
import static org.sipline.core.LineHarness.get;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sipline.core.media.CallSelector;
import org.sipline.core.media.ConverseOptions;
import org.sipline.core.media.DetachPolicy;
import org.sipline.core.media.ListenOptions;
import org.sipline.core.media.MarkOutcome;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.MediaStream;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.testing.FakeCall;
import org.sipline.testing.StreamReader;
import org.sipline.testing.TestWavs;

/**
 * Live media through a whole line on the fake backend, the test being the pacer: streams meet the
 * line's calls (NEXT, CURRENT, one writer), survive their clients, end with the call;
 * SipPlayWavFiles and SipMute keep SPEC §2 on the same queue.
 */
class LineMediaTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  private static LineHarness harness() {
    return harness(LineConfig.builder());
  }

  private static LineHarness harness(LineConfig.Builder config) {
    LineHarness h = new LineHarness(config.registerWait(PATIENCE).hangupWait(PATIENCE).build());
    h.fake.manualMedia();
    return h;
  }

  private static byte[] le(short[] samples) {
    byte[] b = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      b[2 * i] = (byte) samples[i];
      b[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return b;
  }

  private static short[] constant(int n, int v) {
    short[] s = new short[n];
    Arrays.fill(s, (short) v);
    return s;
  }

  private static StreamReader converse(LineHarness h, CallSelector which) {
    return new StreamReader(h.line.media().converse(ConverseOptions.defaults(which)));
  }

  @Test
  void aNextStreamOpenedBeforeTheCallRingsGetsItsVeryFirstFrame() {
    try (LineHarness h = harness()) {
      h.ready(0);
      StreamReader bot = converse(h, CallSelector.NEXT);
      // Accepted, and told so at once: it waits for the next call.
      assertThat(bot.drain())
          .singleElement()
          .isInstanceOfSatisfying(
              MediaEvent.CallState.class,
              c -> assertThat(c.state()).isEqualTo(MediaEvent.CallState.State.WAITING));
      FakeCall call = h.callIn();
      StatusProbeAwait.until(() -> call.state() == FakeCall.State.CONNECTED);
      // The caller speaks the moment the call is up, before the line may even have noticed.
      call.receive(constant(FRAME, 1234));
      MediaEvent.Opened opened = bot.await(MediaEvent.Opened.class, PATIENCE);
      assertThat(opened.callId()).isEqualTo(call.callId());
      assertThat(opened.incoming()).isTrue();
      assertThat(opened.remote()).isEqualTo("alice@caller.test");
      assertThat(opened.codec()).isEqualTo("PCMU");
      MediaEvent.AudioIn first = bot.await(MediaEvent.AudioIn.class, PATIENCE);
      assertThat(first.position()).isZero();
      assertThat(first.concealedSamples()).isZero();
      // Connected comes whenever the line's actor gets to it: before or after that frame.
      StatusProbeAwait.until(
          () -> {
            bot.drain();
            return bot.all(MediaEvent.CallState.class).size() > 1;
          });
      assertThat(bot.all(MediaEvent.CallState.class).get(1).state())
          .isEqualTo(MediaEvent.CallState.State.CONNECTED);
      assertThat(bot.all().get(1)).isSameAs(opened);
    }
  }

  @Test
  void currentNeedsACallAndASecondWriterIsRefusedUnlessItTakesOver() {
    try (LineHarness h = harness()) {
      h.ready(0);
      assertThatThrownBy(() -> converse(h, CallSelector.CURRENT))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("(line is ready for calls; last status READY)");
      get(h.line.startCall("answer", java.util.Map.of()));
      h.await(StatusType.OUTGOING_CALL_CONNECTED);
      FakeCall call = h.fake.lastCall();
      StreamReader first = converse(h, CallSelector.CURRENT);
      first.await(MediaEvent.CallState.class, PATIENCE);
      first.stream().audio("u1", le(constant(4 * FRAME, 77)), true);
      first.stream().mark("m1");
      assertThatThrownBy(() -> converse(h, CallSelector.CURRENT))
          .isInstanceOf(AlreadyExistsException.class);
      StreamReader tap =
          new StreamReader(
              h.line.media().listen(new ListenOptions(CallSelector.CURRENT, null, 0, 0)));
      StreamReader second =
          new StreamReader(
              h.line
                  .media()
                  .converse(
                      new ConverseOptions(CallSelector.CURRENT, null, null, 0, 0, 0, 0, true, "")));
      call.tick(2);
      assertThat(call.sentAudio()).containsOnly((short) 0);
      assertThat(first.await(MediaEvent.MarkResolved.class, PATIENCE).outcome())
          .isEqualTo(MarkOutcome.DETACHED);
      first.awaitFinished(PATIENCE);
      assertThat(tap.await(MediaEvent.MarkResolved.class, PATIENCE).id()).isEqualTo("m1");
      second.await(MediaEvent.Opened.class, PATIENCE);
    }
  }

  @Test
  void holdAndResumeByTheFarEndAreStatusesOfTheConnectedCallAndCallStatesOfItsStreams() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedIn();
      StreamReader bot = converse(h, CallSelector.CURRENT);
      bot.await(MediaEvent.CallState.class, PATIENCE);
      int before = h.line.history().size();

      call.farEndHolds(true, "call held by the far end (INVITE with a=sendonly)");
      MediaEvent.CallState held =
          bot.await(
              MediaEvent.CallState.class,
              c -> c.state() == MediaEvent.CallState.State.HELD,
              PATIENCE);
      assertThat(held.reason()).isEqualTo("call held by the far end (INVITE with a=sendonly)");
      call.farEndHolds(false, "call resumed by the far end (UPDATE with a=sendrecv)");
      MediaEvent.CallState resumed =
          bot.await(
              MediaEvent.CallState.class,
              c -> c.state() == MediaEvent.CallState.State.RESUMED,
              PATIENCE);
      assertThat(resumed.reason())
          .isEqualTo("call resumed by the far end (UPDATE with a=sendrecv)");
      assertThat(resumed.sequence()).isGreaterThan(held.sequence());

      StatusProbeAwait.until(() -> h.line.history().size() >= before + 2);
      List<LineStatus> added = h.line.history().subList(before, before + 2);
      assertThat(added)
          .extracting(LineStatus::type)
          .containsOnly(StatusType.INCOMING_CALL_CONNECTED);
      assertThat(added)
          .extracting(LineStatus::description)
          .containsExactly(
              "call held by the far end (INVITE with a=sendonly), Call-ID " + call.callId(),
              "call resumed by the far end (UPDATE with a=sendrecv), Call-ID " + call.callId());
      assertThat(h.line.status().type()).isEqualTo(StatusType.INCOMING_CALL_CONNECTED);

      call.remoteBye();
      bot.await(
          MediaEvent.CallState.class, c -> c.state() == MediaEvent.CallState.State.ENDED, PATIENCE);
    }
  }

  @Test
  void aClientThatDropsIsSilencedAtOnceAndResumesWithTheEventsItMissed() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      StreamReader bot = converse(h, CallSelector.CURRENT);
      bot.await(MediaEvent.CallState.class, PATIENCE);
      bot.stream().audio("greeting", le(constant(10 * FRAME, 500)), false);
      bot.stream().mark("after-greeting");
      call.tick(3);
      long seen = bot.all().get(bot.all().size() - 1).sequence();
      bot.stream().detach();
      call.tick(2); // within a frame the greeting is gone: fade, then silence
      short[] sent = call.sentAudio();
      assertThat(Arrays.copyOfRange(sent, 4 * FRAME, 5 * FRAME)).containsOnly((short) 0);
      call.dtmf(DtmfEvent.start('9', DtmfMethod.RFC4733));
      call.dtmf(DtmfEvent.end('9', 80, DtmfMethod.RFC4733));
      call.receive(constant(FRAME, 3));
      assertThat(h.line.status().type()).isEqualTo(StatusType.OUTGOING_CALL_CONNECTED);

      StreamReader back =
          new StreamReader(
              h.line
                  .media()
                  .converse(
                      new ConverseOptions(
                          CallSelector.CURRENT,
                          null,
                          null,
                          0,
                          0,
                          0,
                          0,
                          false,
                          bot.stream().resumeToken())));
      MediaEvent.Opened opened = back.await(MediaEvent.Opened.class, PATIENCE);
      assertThat(opened.resumed()).isTrue();
      MediaEvent.MarkResolved mark = back.await(MediaEvent.MarkResolved.class, PATIENCE);
      assertThat(mark.outcome()).isEqualTo(MarkOutcome.DETACHED);
      assertThat(mark.sequence()).isGreaterThan(seen);
      MediaEvent.Cleared cleared = back.await(MediaEvent.Cleared.class, PATIENCE);
      assertThat(cleared.playedSamples()).isEqualTo(3 * FRAME + 32);
      assertThat(back.await(MediaEvent.Dtmf.class, d -> d.end(), PATIENCE).durationMs())
          .isEqualTo(80);
      assertThat(back.await(MediaEvent.AudioIn.class, PATIENCE).replayed()).isTrue();
      back.stream().audio("again", le(constant(FRAME, 9)), true);
      call.tick(1);
      assertThat(Arrays.copyOfRange(call.sentAudio(), 5 * FRAME, 6 * FRAME))
          .containsOnly((short) 9);
    }
  }

  @Test
  void pastTheGraceTheHangUpPolicyEndsTheCallAsASoftHangup() {
    try (LineHarness h =
        harness(
            LineConfig.builder()
                .mediaResumeGrace(Duration.ofMillis(100))
                .mediaDetachPolicy(DetachPolicy.HANG_UP))) {
      h.connectedOut();
      MediaStream bot = h.line.media().converse(ConverseOptions.defaults(CallSelector.CURRENT));
      bot.detach();
      LineStatus bye = h.await(StatusType.SOFT_HANGUP_INITIATED);
      assertThat(bye.description()).contains("did not come back within 100 ms");
      h.await(StatusType.OUTGOING_CALL_FINISHED);
      h.await(StatusType.READY);
    }
  }

  @Test
  void theCallsEndReachesEveryStreamInOrderAndTheStreamFinishes() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      StreamReader bot = converse(h, CallSelector.CURRENT);
      bot.await(MediaEvent.CallState.class, PATIENCE);
      bot.stream().audio("u1", le(constant(20 * FRAME, 1)), false);
      bot.stream().mark("m1");
      call.tick(1);
      call.receive(constant(FRAME, 2));
      call.receive(constant(FRAME, 2));
      call.remoteBye();
      List<MediaEvent> events = bot.awaitFinished(PATIENCE);
      List<String> tail =
          events.subList(events.size() - 5, events.size()).stream()
              .map(e -> e.getClass().getSimpleName())
              .toList();
      assertThat(tail)
          .containsExactly("AudioIn", "AudioIn", "MarkResolved", "CallState", "Statistics");
      MediaEvent.CallState ended = bot.all(MediaEvent.CallState.class).get(1);
      assertThat(ended.ended()).isTrue();
      assertThat(ended.reason()).contains("BYE from answer@fake.test");
      MediaEvent.Statistics stats = bot.all(MediaEvent.Statistics.class).get(0);
      assertThat(stats.counters().framesSent()).isEqualTo(2);
      assertThat(stats.counters().playedSamples()).isEqualTo(FRAME);
    }
  }

  @Test
  void aSlowReaderIsBoundedAndToldTheGap() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      StreamReader bot =
          new StreamReader(
              h.line
                  .media()
                  .converse(
                      new ConverseOptions(
                          CallSelector.CURRENT, null, null, 0, 200, 0, 0, false, "")));
      bot.await(MediaEvent.CallState.class, PATIENCE);
      for (int f = 0; f < 3000; f++) { // a minute of caller audio nobody takes
        call.receive(constant(FRAME, f % 100 + 1));
        call.tick(1);
      }
      List<MediaEvent> events = bot.drain();
      List<MediaEvent.AudioIn> audio =
          events.stream()
              .filter(MediaEvent.AudioIn.class::isInstance)
              .map(MediaEvent.AudioIn.class::cast)
              .toList();
      assertThat(audio).hasSize(10); // 200 ms kept
      assertThat(audio.get(0).droppedSamples()).isEqualTo(2990L * FRAME);
      assertThat(audio.get(0).position()).isEqualTo(2990L * FRAME);
      assertThat(h.line.status().type()).isEqualTo(StatusType.OUTGOING_CALL_CONNECTED);
    }
  }

  @Test
  void aRefusedRequestLosesNothingQueuedBeforeIt() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      StreamReader bot = converse(h, CallSelector.CURRENT);
      bot.await(MediaEvent.CallState.class, PATIENCE);
      bot.stream().audio("u1", le(constant(2 * FRAME, 321)), true);
      bot.stream().mark("m");
      assertThatThrownBy(() -> bot.stream().audio("u2", new byte[70_000], false))
          .isInstanceOf(InvalidArgumentException.class)
          .extracting(e -> ((InvalidArgumentException) e).field())
          .isEqualTo("audio.data");
      assertThatThrownBy(() -> bot.stream().mark("m"))
          .isInstanceOf(InvalidArgumentException.class)
          .extracting(e -> ((InvalidArgumentException) e).field())
          .isEqualTo("mark.id");
      assertThatThrownBy(() -> bot.stream().clear("nope"))
          .isInstanceOf(InvalidArgumentException.class)
          .extracting(e -> ((InvalidArgumentException) e).field())
          .isEqualTo("clear.through_utterance");
      assertThatThrownBy(
              () ->
                  h.line
                      .media()
                      .converse(
                          new ConverseOptions(
                              CallSelector.CURRENT, null, null, 15, 0, 0, 0, false, "")))
          .isInstanceOf(InvalidArgumentException.class)
          .extracting(e -> ((InvalidArgumentException) e).field())
          .isEqualTo("open.inbound_frame_ms");
      call.tick(2);
      assertThat(call.sentAudio()).containsOnly((short) 321);
      assertThat(bot.await(MediaEvent.MarkResolved.class, PATIENCE).outcome())
          .isEqualTo(MarkOutcome.PLAYED);
    }
  }

  @Test
  void aPromptIsOneUtteranceOfTheQueueSoMarksAndClearsCoverIt() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      StreamReader bot = converse(h, CallSelector.CURRENT);
      bot.await(MediaEvent.CallState.class, PATIENCE);
      CompletableFuture<LineStatus> prompt =
          h.line.playWavFiles(List.of(TestWavs.sine(8000, 1, 440, 1000, 0.5)));
      StatusProbeAwait.until(
          () -> {
            call.tick(1);
            return call.speechFrames() > 0;
          });
      bot.stream().mark("during-prompt");
      bot.stream().clear("prompt-1");
      call.tick(1);
      LineStatus answer = get(prompt);
      assertThat(answer.description()).contains("cleared by the live-media client");
      // Marks first, then the Cleared that sums up.
      assertThat(bot.await(MediaEvent.MarkResolved.class, PATIENCE).outcome())
          .isEqualTo(MarkOutcome.CLEARED);
      MediaEvent.Cleared cleared = bot.await(MediaEvent.Cleared.class, PATIENCE);
      assertThat(cleared.interruptedUtterance()).isEqualTo("prompt-1");
    }
  }

  @Test
  void playbackCompletesWhenItsLastFrameIsSentAndReportsItsEndAsAPlayout() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      StreamReader tap =
          new StreamReader(
              h.line.media().listen(new ListenOptions(CallSelector.CURRENT, null, 0, 0)));
      CompletableFuture<LineStatus> played =
          h.line.playWavFiles(List.of(TestWavs.sine(8000, 1, 440, 100, 0.5))); // 5 frames
      StatusProbeAwait.until(
          () -> {
            call.tick(1);
            return played.isDone();
          });
      assertThat(get(played).type()).isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
      MediaEvent.Playout end =
          tap.await(MediaEvent.Playout.class, MediaEvent.Playout::utteranceEnded, PATIENCE);
      assertThat(end.utteranceId()).isEqualTo("prompt-1");
      assertThat(end.utterancePlayedSamples()).isEqualTo(800);
    }
  }

  @Test
  void mutedSpeechIsSilenceWhileItsMarksStillResolveOnTime() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      StreamReader bot = converse(h, CallSelector.CURRENT);
      bot.await(MediaEvent.CallState.class, PATIENCE);
      assertThat(get(h.line.mute()).type()).isEqualTo(StatusType.MICROPHONE_MUTED);
      bot.stream().audio("u1", le(constant(3 * FRAME, 1000)), true);
      bot.stream().mark("m");
      call.tick(3);
      assertThat(call.sentAudio()).containsOnly((short) 0);
      MediaEvent.MarkResolved m = bot.await(MediaEvent.MarkResolved.class, PATIENCE);
      assertThat(m.outcome()).isEqualTo(MarkOutcome.PLAYED);
      assertThat(m.position()).isEqualTo(3 * FRAME);
      assertThat(call.speechFrames()).isZero();
    }
  }

  @Test
  void aMediaRefusalNamesTheLinesStateInWordsNotItsLatestStatus() {
    try (LineHarness h = harness()) {
      h.connectedOut();
      assertThat(get(h.line.mute()).type()).isEqualTo(StatusType.MICROPHONE_MUTED);
      ConverseOptions resume =
          new ConverseOptions(CallSelector.CURRENT, null, null, 0, 0, 0, 0, false, "no-such-token");
      // The latest status is MICROPHONE_MUTED, but the line is in a connected call: the answer
      // says that, as the line's own refusals do (SPEC §2, errors).
      assertThatThrownBy(() -> h.line.media().converse(resume))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("resume_token")
          .hasMessageContaining("line is in a connected call with")
          .hasMessageContaining("microphone muted")
          .hasMessageNotContaining("line is MICROPHONE_MUTED");
    }
  }

  @Test
  void digitsInAndOutCrossTheFakeBackend() {
    try (LineHarness h = harness()) {
      FakeCall call = h.connectedOut();
      StreamReader bot = converse(h, CallSelector.CURRENT);
      bot.await(MediaEvent.CallState.class, PATIENCE);
      call.dtmf(DtmfEvent.start('3', DtmfMethod.SIP_INFO));
      call.dtmf(DtmfEvent.end('3', 250, DtmfMethod.SIP_INFO));
      assertThat(bot.await(MediaEvent.Dtmf.class, MediaEvent.Dtmf::end, PATIENCE).durationMs())
          .isEqualTo(250);
      bot.stream().sendDtmf("4*", 120, 60);
      assertThat(bot.await(MediaEvent.DtmfSent.class, PATIENCE).digit()).isEqualTo('4');
      assertThat(bot.await(MediaEvent.DtmfSent.class, PATIENCE).digit()).isEqualTo('*');
      assertThat(call.dtmfSent()).containsExactly("4/120", "*/120");
      call.failDtmf("Not Acceptable Here");
      bot.stream().sendDtmf("5", 0, 0);
      MediaEvent.DtmfSent refused = bot.await(MediaEvent.DtmfSent.class, PATIENCE);
      assertThat(refused.digit()).isEqualTo('5');
      assertThat(refused.sent()).isFalse();
      assertThat(refused.sipCode()).isEqualTo(488);
      assertThat(refused.failure()).isEqualTo("488 Not Acceptable Here");
      assertThat(h.line.status().type()).isEqualTo(StatusType.OUTGOING_CALL_CONNECTED);
    }
  }
}

package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.media.v1.AudioIn;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.CallState;
import org.sipline.api.media.v1.Cleared;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseEvent.KindCase;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.api.media.v1.Opened;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.core.audio.Resampler;
import org.sipline.core.audio.WavReader;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.TestSignals;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.PcmWav;

/**
 * sipline.media.v1 end to end: the jar on the jainsip backend, Kamailio, and baresip as the caller
 * or callee. What baresip sends must reach a Converse client, what the client streams must reach
 * baresip's recording, and a Clear's played-sample count must be what baresip heard.
 */
class LiveMediaIT {
  private static final Duration WAIT = LineClient.WAIT;
  private static final int RATE = 8000;

  @TempDir Path dir;

  private CallScene scene;
  private Kamailio kamailio;
  private Baresip bob;
  private SiplineProcess sipline;
  private LineClient line;
  private String alice;

  @AfterEach
  void stop() {
    if (scene != null) {
      scene.close();
    }
  }

  /**
   * Kamailio, bob (answering by himself, sending {@code source} or silence), the jar, alice's
   * session.
   */
  private void scene(Path source) throws Exception {
    scene =
        CallScene.start(
            dir,
            o -> source == null ? o.withSilence(Duration.ofSeconds(60)) : o.withAudioSource(source),
            "bob");
    kamailio = scene.kamailio();
    bob = scene.phone("bob");
    sipline = scene.sipline();
    line = new LineClient(sipline::sip);
    alice = "alice@" + kamailio.hostPort();
    assertThat(line.register(alice, "alice-pw").getStatusType()).isEqualTo(StatusType.REGISTERED);
    assertThat(line.startSession(alice).getStatusType()).isEqualTo(StatusType.SESSION_STARTED);
  }

  private void callBob() {
    int mark = line.mark();
    line.call("bob");
    line.awaitAfter(mark, StatusType.OUTGOING_CALL_CONNECTED);
    bob.awaitEvent("CALL_ESTABLISHED", WAIT);
  }

  /** What bob heard in his (one) call, once it has ended. */
  private short[] bobsRecording() throws Exception {
    List<Path> heard = bob.awaitRecordingComplete(WAIT);
    return WavReader.read(Files.readAllBytes(heard.get(heard.size() - 1))).samples();
  }

  /** Speech from espeak-ng, at 8 kHz. */
  private short[] speech(String text) throws Exception {
    Path wav = dir.resolve("speech-" + Integer.toHexString(text.hashCode()) + ".wav");
    Process p = new ProcessBuilder("espeak-ng", "-w", wav.toString(), text).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("espeak-ng (scripts/test-all.sh installs it)").isZero();
    var audio = WavReader.read(Files.readAllBytes(wav));
    return Resampler.toCodecRate(audio.sampleRate()).resample(audio.samples());
  }

  /** Positions continuous from the first frame on, nothing concealed on loopback. */
  private static void assertContinuousTimeline(ConverseClient client) {
    long expected = -1;
    long concealed = 0;
    for (ConverseEvent e : client.events) {
      if (e.getKindCase() != KindCase.AUDIO_IN) {
        continue;
      }
      AudioIn a = e.getAudioIn();
      if (expected >= 0) {
        assertThat(a.getPosition()).as("position of the next frame").isEqualTo(expected);
      }
      expected = a.getPosition() + a.getData().size() / 2;
      concealed += a.getConcealedSamples();
      assertThat(a.getDroppedSamples()).isZero();
    }
    assertThat(expected).as("caller audio received").isPositive();
    assertThat(concealed).as("samples concealed on loopback").isZero();
  }

  // ---- caller -> bot ------------------------------------------------------------------------

  @Test
  void whatTheCalleeSaysReachesAConverseClientOnAnOutgoingCall() throws Exception {
    short[] sent = TestSignals.noise(7, 3 * RATE, 8000);
    Path source = dir.resolve("bob-says.wav");
    PcmWav.write(source, RATE, sent);
    scene(source);
    ConverseClient bot = ConverseClient.open(sipline.channel(), CallSelector.NEXT, "");
    sipline.awaitLog("Converse stream opened on the next call", WAIT);
    callBob();
    Opened opened = bot.await(KindCase.OPENED).getOpened();
    assertThat(opened.getIncoming()).isFalse();
    // bob hangs up a second after his file; the stream then ends by itself, OK.
    assertThat(bot.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode())
        .isEqualTo(io.grpc.Status.Code.OK);
    assertThat(bot.events.get(bot.events.size() - 1).getKindCase()).isEqualTo(KindCase.STATISTICS);
    assertThat(bot.events)
        .filteredOn(e -> e.getKindCase() == KindCase.CALL_STATE)
        .last()
        .satisfies(e -> assertThat(e.getCallState().getState()).isEqualTo(CallState.State.ENDED));
    assertContinuousTimeline(bot);
    assertThat(
            AudioCompare.bestMatch(sent, bot.callerSamples(), RATE, Duration.ofSeconds(2))
                .correlation())
        .as("what bob sent, as the bot received it")
        .isGreaterThanOrEqualTo(0.9);
    assertThat(sipline.log())
        .as("the stream's final statistics in the server's log")
        .containsPattern(
            "Converse stream of call \\Q" + opened.getCallId() + "\\E completed: .*frames_sent=");
  }

  @Test
  void whatTheCallerSaysReachesAConverseClientOnAnIncomingCall() throws Exception {
    short[] sent = TestSignals.noise(11, 3 * RATE, 8000);
    Path source = dir.resolve("bob-says.wav");
    PcmWav.write(source, RATE, sent);
    scene(source);
    // Attached before the call exists: its first packet is already ours.
    ConverseClient bot = ConverseClient.open(sipline.channel(), CallSelector.NEXT, "");
    // NEXT has no answer until the call comes; the server's log says the stream waits for it.
    sipline.awaitLog("Converse stream opened on the next call", WAIT);
    bob.dial(kamailio.uri("alice"));
    Opened opened = bot.await(KindCase.OPENED).getOpened();
    assertThat(opened.getIncoming()).isTrue();
    assertThat(opened.getPosition()).isZero();
    assertThat(bot.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode())
        .isEqualTo(io.grpc.Status.Code.OK);
    assertContinuousTimeline(bot);
    // Nothing of the call's start is missed: bob's first 100 ms are in what the bot got.
    assertThat(
            AudioCompare.bestMatch(
                    java.util.Arrays.copyOf(sent, RATE / 10),
                    bot.callerSamples(),
                    RATE,
                    Duration.ofSeconds(1))
                .correlation())
        .as("the start of what bob sent")
        .isGreaterThanOrEqualTo(0.9);
    assertThat(
            AudioCompare.bestMatch(sent, bot.callerSamples(), RATE, Duration.ofSeconds(2))
                .correlation())
        .isGreaterThanOrEqualTo(0.9);
  }

  // ---- bot -> caller ------------------------------------------------------------------------

  @Test
  void speechStreamedInRandomChunksOfAnyLengthReachesTheCallerIntact() throws Exception {
    short[] speech = speech("The quick brown fox jumps over the lazy dog, twice over.");
    byte[] pcm = ConverseClient.bytes(speech);
    scene(null);
    callBob();
    ConverseClient bot = ConverseClient.open(sipline.channel(), CallSelector.CURRENT, "");
    bot.await(KindCase.OPENED);
    Random random = new Random(20261207);
    int at = 0;
    int odd = 0;
    while (at < pcm.length) {
      // 1 byte to 64 KiB, log-uniform so that small odd chunks are frequent.
      int size = (int) Math.min(65536, Math.round(Math.exp(random.nextDouble() * Math.log(65536))));
      size = Math.min(size, pcm.length - at);
      odd += size % 2;
      bot.audio("u1", pcm, at, size, at + size == pcm.length);
      at += size;
    }
    assertThat(odd).as("odd-length chunks sent").isPositive();
    bot.mark("end");
    ConverseEvent played = bot.await(KindCase.MARK);
    assertThat(played.getMark().getOutcome()).isEqualTo(MarkResolved.Outcome.PLAYED);
    line.hangup(false);
    short[] heard = bobsRecording();
    assertThat(AudioCompare.bestMatch(speech, heard, RATE, Duration.ofSeconds(3)).correlation())
        .as("bob heard the streamed speech")
        .isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void aClearsPlayedSampleCountIsWhatTheCallerHeardToTheFrame() throws Exception {
    short[] noise = TestSignals.noise(3, 6 * RATE, 8000);
    scene(null);
    callBob();
    ConverseClient bot = ConverseClient.open(sipline.channel(), CallSelector.CURRENT, "");
    bot.await(KindCase.OPENED);
    byte[] pcm = ConverseClient.bytes(noise);
    for (int at = 0; at < pcm.length; at += 3200) {
      bot.audio("u1", pcm, at, Math.min(3200, pcm.length - at), at + 3200 >= pcm.length);
    }
    bot.await(
        e ->
            e.getKindCase() == KindCase.PLAYOUT
                && e.getPlayout().getUtterancePlayedSamples() >= RATE);
    bot.clear("u1");
    Cleared cleared = bot.await(KindCase.CLEARED).getCleared();
    assertThat(cleared.getInterruptedUtterance()).isEqualTo("u1");
    long played = cleared.getPlayedSamples();
    assertThat(played).isBetween((long) RATE, 3L * RATE);
    // Let 600 ms of the call's timeline pass after the clear (bob's silence arriving says so),
    // so the silence after it is in bob's recording; then end the call.
    long until = cleared.getPosition() + 600 * RATE / 1000;
    bot.await(e -> e.getKindCase() == KindCase.AUDIO_IN && e.getAudioIn().getPosition() >= until);
    line.hangup(false);
    short[] heard = bobsRecording();

    AudioCompare.Match start =
        AudioCompare.bestMatch(
            java.util.Arrays.copyOf(noise, RATE / 2), heard, RATE, Duration.ofSeconds(5));
    assertThat(start.correlation()).isGreaterThanOrEqualTo(0.9);
    int from = start.lagSamples();
    int frame = RATE / 50;
    // The noise is there up to the frame before the clear's position...
    assertThat(
            AudioCompare.bestMatch(
                    java.util.Arrays.copyOf(noise, (int) played - frame),
                    java.util.Arrays.copyOfRange(heard, from, (int) (from + played - frame)),
                    0)
                .correlation())
        .isGreaterThanOrEqualTo(0.9);
    // ...and gone from the frame after it on (one frame of fade allowed).
    int after = (int) (from + played + frame);
    assertThat(AudioCompare.rms(heard, after, after + RATE / 4))
        .as("what bob heard after the cleared position")
        .isLessThan(100);
  }

  // ---- faults -------------------------------------------------------------------------------

  @Test
  void aClientThatDisconnectsMidUtteranceResumesWithinTheGrace() throws Exception {
    scene(null);
    callBob();
    ConverseClient first = ConverseClient.open(sipline.channel(), CallSelector.CURRENT, "");
    Opened opened = first.await(KindCase.OPENED).getOpened();
    assertThat(opened.getResumeToken()).isNotEmpty();
    byte[] pcm = ConverseClient.bytes(TestSignals.noise(5, 5 * RATE, 8000));
    first.audio("u1", pcm, 0, 32000, false);
    first.mark("m1");
    first.await(
        e -> e.getKindCase() == KindCase.PLAYOUT && e.getPlayout().getUtterancePlayedSamples() > 0);
    long lastSequence = first.events.get(first.events.size() - 1).getSequence();
    first.cancel();

    ConverseClient second =
        ConverseClient.open(sipline.channel(), CallSelector.CURRENT, opened.getResumeToken());
    Opened resumed = second.await(KindCase.OPENED).getOpened();
    assertThat(resumed.getResumed()).isTrue();
    assertThat(resumed.getCallId()).isEqualTo(opened.getCallId());
    assertThat(line.history())
        .as("the call went on")
        .noneMatch(st -> st.getStatusType() == StatusType.OUTGOING_CALL_FINISHED);
    // Every control event the first stream missed reaches the second: m1 resolves exactly once.
    MarkResolved m1 =
        second
            .await(e -> e.getKindCase() == KindCase.MARK && e.getMark().getId().equals("m1"))
            .getMark();
    assertThat(m1.getOutcome()).isNotEqualTo(MarkResolved.Outcome.PLAYED);
    assertThat(second.events.stream().mapToLong(ConverseEvent::getSequence).max().orElse(0))
        .isGreaterThanOrEqualTo(lastSequence);
    // And the resumed stream speaks.
    byte[] more = ConverseClient.bytes(TestSignals.tone(440, RATE, RATE / 2, 8000));
    second.audio("u2", more, 0, more.length, true);
    second.mark("m2");
    assertThat(
            second
                .await(e -> e.getKindCase() == KindCase.MARK && e.getMark().getId().equals("m2"))
                .getMark()
                .getOutcome())
        .isEqualTo(MarkResolved.Outcome.PLAYED);
    line.hangup(false);
  }
}

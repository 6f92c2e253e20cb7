package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/** Received audio written to recordingsDir, and calls ended when RTP stops arriving. */
class PjsipRecordingAndMediaTimeoutTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path recordings;
  private PjsipTestLine line;
  private PjsipBackend backend;
  private RecordingListener listener;
  private SipAccount account;

  @BeforeEach
  void start() throws Exception {
    line =
        PjsipTestLine.start(
            "alice", b -> b.mediaTimeout(Duration.ofSeconds(2)).recordingsDir(recordings));
    backend = line.backend;
    listener = line.listener;
    account = line.account;
  }

  @AfterEach
  void stop() {
    if (line != null) {
      line.close();
    }
  }

  @Test
  void aCallWhoseFarEndSendsNoRtpIsEndedAfterTheMediaTimeout() throws Exception {
    // SIPp answers but sends no RTP at all.
    try (Sipp sipp = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults())) {
      account.call(
          SipUri.of("bob", "127.0.0.1", sipp.port()),
          Map.of(),
          new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
      assertThat(listener.next(BOUND)).isEqualTo("callRinging 180");
      assertThat(listener.next(BOUND)).isEqualTo("callConnected");
      long connected = System.nanoTime();

      assertThat(listener.next(BOUND)).isEqualTo("callEnded MEDIA_TIMEOUT");
      assertThat(Duration.ofNanos(System.nanoTime() - connected))
          .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(5));
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void eachCallsReceivedAudioIsRecordedUnderItsCallId() throws Exception {
    SipCall out =
        account.call(
            SipUri.of("alice", "127.0.0.1", backend.sipPort()),
            Map.of(),
            new CallMedia(square(8000), AudioSink.DISCARD));
    assertThat(listener.next(BOUND)).startsWith("incomingCall");
    listener.lastIncoming.answer(new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    // Both legs belong to alice's account, so events of the two interleave.
    assertThat(List.of(listener.next(BOUND), listener.next(BOUND), listener.next(BOUND)))
        .containsExactlyInAnyOrder("callRinging 180", "callConnected", "callConnected");
    // Both legs carry the same Call-ID: whichever opened its recording second got "-1".
    Path first = recordings.resolve(WavRecording.fileNameFor(out.callId()) + ".wav");
    Path second = recordings.resolve(WavRecording.fileNameFor(out.callId()) + "-1.wav");
    Awaitility.await()
        .atMost(BOUND)
        .until(
            () ->
                Files.exists(first)
                    && Files.exists(second)
                    && Files.size(first) > 44 + 2 * AudioFrames.SAMPLE_RATE
                    && Files.size(second) > 44 + 2 * AudioFrames.SAMPLE_RATE);

    out.hangup();

    assertThat(List.of(listener.next(BOUND), listener.next(BOUND)))
        .containsExactlyInAnyOrder("callEnded LOCAL_BYE", "callEnded REMOTE_BYE");
    // The answering leg heard the square wave, the calling leg silence; the headers are final
    // once the pump saw the calls end.
    Awaitility.await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(List.of(peak(first) > 4000, peak(second) > 4000))
                    .containsExactlyInAnyOrder(true, false));
    assertThat(Math.min(peak(first), peak(second))).isLessThan(100);
  }

  private static int peak(Path wav) throws Exception {
    WavAudio audio = WavReader.read(Files.readAllBytes(wav));
    int peak = 0;
    for (short s : audio.samples()) {
      peak = Math.max(peak, Math.abs(s));
    }
    return peak;
  }

  private static AudioSource square(int amplitude) {
    int[] phase = {0};
    return frame -> {
      for (int i = 0; i < frame.length; i++) {
        frame[i] = (short) ((phase[0]++ / 4) % 2 == 0 ? amplitude : -amplitude);
      }
      return true;
    };
  }
}

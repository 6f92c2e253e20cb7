package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.media.v1.Audio;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.Mark;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.api.media.v1.Open;
import org.sipline.core.spi.AudioFrames;
import org.sipline.testing.FakeCall;

/**
 * MEDIA.md: "Bad requests get a gRPC error naming the field; nothing already queued is lost by a
 * refused request." A Converse that queued speech and then reuses a mark id is refused, the speech
 * still reaches the far end to its last sample, and a resume gets the mark it missed. The far end
 * is the fake backend's call, whose frames the test sends one by one, so nothing depends on a
 * clock.
 */
class ConverseRefusalTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  /** One second of speech: the refusal comes long before its end. */
  private static final int SPEECH_FRAMES = 50;

  private RunningServer running;
  private FakeCall call;

  @BeforeEach
  void callInProgress() throws Exception {
    running = RunningServer.start();
    running.backend.manualMedia();
    call = running.connectCall();
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private StreamObserver<ConverseRequest> converse(RecordingEvents<ConverseRequest> client) {
    return LineMediaGrpc.newStub(running.channel).converse(client);
  }

  private static ConverseRequest open(String resumeToken) {
    return ConverseRequest.newBuilder()
        .setOpen(Open.newBuilder().setCall(CallSelector.CURRENT).setResumeToken(resumeToken))
        .build();
  }

  private static ConverseRequest mark(String id) {
    return ConverseRequest.newBuilder().setMark(Mark.newBuilder().setId(id)).build();
  }

  /** Distinct, never-silent samples, so where each one landed can be checked. */
  private static short[] speech() {
    short[] s = new short[SPEECH_FRAMES * FRAME];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (1000 + i % 20_000);
    }
    return s;
  }

  private static ByteString le(short[] samples) {
    byte[] b = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      b[2 * i] = (byte) samples[i];
      b[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return ByteString.copyFrom(b);
  }

  private static ConverseEvent first(
      RecordingEvents<ConverseRequest> client, ConverseEvent.KindCase kind) {
    return await()
        .atMost(RunningServer.WAIT)
        .until(
            () ->
                client.events.stream()
                    .filter(e -> e.getKindCase() == kind)
                    .findFirst()
                    .orElse(null),
            e -> e != null);
  }

  @Test
  void aReusedMarkIdIsRefusedNamingTheFieldAndWhatWasQueuedStillPlaysToItsEnd() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> requests = converse(client);
    requests.onNext(open(""));
    String token = first(client, ConverseEvent.KindCase.OPENED).getOpened().getResumeToken();
    short[] speech = speech();
    requests.onNext(
        ConverseRequest.newBuilder()
            .setAudio(
                Audio.newBuilder().setUtteranceId("u1").setData(le(speech)).setEndOfUtterance(true))
            .build());
    requests.onNext(mark("m1"));
    requests.onNext(mark("m1"));

    Status status = client.closed.get(RunningServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("mark.id:").contains("'m1'");

    call.tick(SPEECH_FRAMES + 1);
    short[] sent = call.sentAudio();
    assertThat(Arrays.copyOf(sent, speech.length))
        .as("every queued sample reached the far end, in order")
        .isEqualTo(speech);
    assertThat(Arrays.copyOfRange(sent, speech.length, speech.length + FRAME))
        .as("then silence")
        .containsOnly((short) 0);

    RecordingEvents<ConverseRequest> back = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> resumed = converse(back);
    resumed.onNext(open(token));
    assertThat(first(back, ConverseEvent.KindCase.OPENED).getOpened().getResumed()).isTrue();
    MarkResolved m1 = first(back, ConverseEvent.KindCase.MARK).getMark();
    assertThat(m1.getId()).isEqualTo("m1");
    assertThat(m1.getOutcome()).isEqualTo(MarkResolved.Outcome.PLAYED);
    assertThat(m1.getPosition()).isEqualTo(speech.length);
    List<ConverseEvent> cleared =
        back.events.stream()
            .filter(e -> e.getKindCase() == ConverseEvent.KindCase.CLEARED)
            .toList();
    assertThat(cleared).as("nothing was cleared").isEmpty();
    resumed.onCompleted();
    // A closing writer's queue is let go at the next frame, and its stream ends after that.
    await()
        .atMost(RunningServer.WAIT)
        .until(
            () -> {
              call.tick(1);
              return back.closed.isDone();
            });
    assertThat(back.closed.get().isOk()).isTrue();
  }
}

package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.media.v1.Audio;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.AudioFormat;
import org.sipline.api.media.v1.AudioIn;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseEvent.KindCase;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.Open;
import org.sipline.api.media.v1.StreamStatistics;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.core.audio.WavReader;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.TestSignals;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.Kamailio;

/**
 * MEDIA.md's stalled client: a Converse client that stops reading during a real call (the jar on
 * the jainsip backend, Kamailio, baresip as the callee). The call goes on, the server keeps only
 * {@code max_inbound_lag_ms} of the caller's audio for it and drops the rest (its counters say so),
 * the gap is reported on the frame right after it, and the bot's speech queued before the stall
 * keeps going out in RTP, which baresip records.
 *
 * <p>The stall lasts {@value #CI_STALL_SECONDS} s in the default build and MEDIA.md's 60 s under
 * {@code -Plong}. The client's HTTP/2 window is 64 KiB, so what gRPC itself holds in flight for a
 * client that does not read (that window plus the server's 32 KiB before it stops being ready) is a
 * few seconds of 8 kHz LINEAR16; everything beyond that and the ring is dropped.
 */
class StalledClientIT {
  private static final int RATE = 8000;
  private static final int FRAME = RATE / 50;
  private static final int LAG_MS = 1000;
  private static final int CI_STALL_SECONDS = 15;
  private static final Duration STALL =
      Boolean.getBoolean("sipline.long")
          ? Duration.ofSeconds(60)
          : Duration.ofSeconds(CI_STALL_SECONDS);

  /** gRPC's own buffering for a client that reads nothing, at most: see the class comment. */
  private static final Duration IN_FLIGHT = Duration.ofSeconds(7);

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private CallScene scene;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (scene != null) {
      scene.close();
    }
  }

  /** A Converse client that reads only while told to. */
  private static final class Client
      implements ClientResponseObserver<ConverseRequest, ConverseEvent> {
    final List<ConverseEvent> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<ConverseRequest> call;
    private volatile boolean reading = true;

    @Override
    public void beforeStart(ClientCallStreamObserver<ConverseRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    synchronized void send(ConverseRequest request) {
      call.onNext(request);
    }

    void stopReading() {
      reading = false;
    }

    void readAgain() {
      reading = true;
      call.request(1);
    }

    @Override
    public void onNext(ConverseEvent event) {
      events.add(event);
      if (reading) {
        call.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      closed.complete(Status.OK);
    }

    ConverseEvent await(java.util.function.Predicate<ConverseEvent> match) {
      return Awaitility.await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> events.stream().filter(match).findFirst().orElse(null), e -> e != null);
    }

    List<AudioIn> audio() {
      List<AudioIn> out = new ArrayList<>();
      for (ConverseEvent e : events) {
        if (e.getKindCase() == KindCase.AUDIO_IN) {
          out.add(e.getAudioIn());
        }
      }
      return out;
    }
  }

  @Test
  void aClientThatStopsReadingKeepsItsCallAndItsRingBoundedAndLearnsTheGap() throws Exception {
    scene = CallScene.start(dir, o -> o.withSilence(STALL.plusSeconds(90)), "bob");
    Kamailio kamailio = scene.kamailio();
    Baresip bob = scene.phone("bob");
    SiplineProcess sipline = scene.sipline();
    LineClient line = new LineClient(sipline::sip);
    String alice = "alice@" + kamailio.hostPort();
    assertThat(line.register(alice, "alice-pw").getStatusType()).isEqualTo(StatusType.REGISTERED);
    assertThat(line.startSession(alice).getStatusType()).isEqualTo(StatusType.SESSION_STARTED);
    int mark = line.mark();
    line.call("bob");
    line.awaitAfter(mark, StatusType.OUTGOING_CALL_CONNECTED);
    bob.awaitEvent("CALL_ESTABLISHED", WAIT);

    channel =
        NettyChannelBuilder.forTarget(sipline.target())
            .usePlaintext()
            .flowControlWindow(64 * 1024)
            .build();
    Client bot = new Client();
    LineMediaGrpc.newStub(channel).converse(bot);
    AudioFormat pcm8k =
        AudioFormat.newBuilder().setEncoding(AudioEncoding.LINEAR16).setSampleRate(RATE).build();
    bot.send(
        ConverseRequest.newBuilder()
            .setOpen(
                Open.newBuilder()
                    .setCall(CallSelector.CURRENT)
                    .setInboundFormat(pcm8k)
                    .setOutboundFormat(pcm8k)
                    .setMaxInboundLagMs(LAG_MS)
                    .setMaxQueuedMs(600_000))
            .build());
    bot.await(e -> e.getKindCase() == KindCase.OPENED);
    bot.await(e -> e.getKindCase() == KindCase.AUDIO_IN);

    // The bot's speech for the whole stall and a little more, queued before it stops reading.
    int toneSeconds = (int) STALL.toSeconds() + 4;
    byte[] tone = ConverseClient.bytes(TestSignals.tone(440, RATE, toneSeconds * RATE, 8000));
    for (int at = 0; at < tone.length; at += 64 * 1024) {
      int n = Math.min(64 * 1024, tone.length - at);
      bot.send(
          ConverseRequest.newBuilder()
              .setAudio(
                  Audio.newBuilder()
                      .setUtteranceId("tone")
                      .setData(ByteString.copyFrom(tone, at, n))
                      .setEndOfUtterance(at + n == tone.length))
              .build());
    }
    bot.await(e -> e.getKindCase() == KindCase.PLAYOUT && e.getPlayout().getQueuedMs() > 0);

    bot.stopReading();
    int readBefore = bot.audio().size();
    // The stall is the scenario itself, not a wait for a state: nothing is read for this long.
    long stallEnd = System.nanoTime() + STALL.toNanos();
    for (long left = STALL.toNanos(); left > 0; left = stallEnd - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    assertThat(line.history())
        .as("the call went on through the stall")
        .noneMatch(s -> s.getStatusType() == StatusType.OUTGOING_CALL_FINISHED);
    bot.readAgain();

    // Read until live again: a frame that came after the gap, and more than a ring's worth after
    // it.
    AudioIn gap =
        bot.await(
                e -> e.getKindCase() == KindCase.AUDIO_IN && e.getAudioIn().getDroppedSamples() > 0)
            .getAudioIn();
    long liveFrom = gap.getPosition() + 2L * LAG_MS * RATE / 1000;
    bot.await(
        e -> e.getKindCase() == KindCase.AUDIO_IN && e.getAudioIn().getPosition() >= liveFrom);

    // The timeline never jumps: every frame follows the one before, the gap frame by exactly what
    // was dropped, and there is one gap, right where the client stopped reading.
    List<AudioIn> audio = bot.audio();
    long dropped = 0;
    int gaps = 0;
    for (int i = 1; i < audio.size(); i++) {
      AudioIn prev = audio.get(i - 1);
      AudioIn next = audio.get(i);
      assertThat(next.getPosition())
          .as("position of frame %d", i)
          .isEqualTo(prev.getPosition() + prev.getData().size() / 2 + next.getDroppedSamples());
      if (next.getDroppedSamples() > 0) {
        gaps++;
        dropped += next.getDroppedSamples();
        assertThat(i)
            .as("the gap comes after the frames read or in flight")
            .isGreaterThan(readBefore);
      }
    }
    assertThat(gaps).as("one stall, one gap").isEqualTo(1);
    long stallSamples = STALL.toSeconds() * RATE;
    long kept = (LAG_MS + IN_FLIGHT.toMillis()) * RATE / 1000;
    assertThat(dropped)
        .as("caller audio dropped for the stalled client (samples)")
        .isBetween(stallSamples - kept, stallSamples + RATE);

    line.hangup(false);
    StreamStatistics stats = bot.await(e -> e.getKindCase() == KindCase.STATISTICS).getStatistics();
    assertThat(bot.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk()).isTrue();
    // The ring held max_inbound_lag_ms at most; the rest was counted dropped, frame by frame.
    assertThat(stats.getMaxLagMs()).as("largest lag, ms").isLessThanOrEqualTo(LAG_MS);
    assertThat(stats.getFramesDropped() * FRAME).isEqualTo(dropped);

    // RTP went on during the stall: bob heard the tone through it, frame after frame.
    List<Path> heard = bob.awaitRecordingComplete(WAIT);
    short[] recording = WavReader.read(Files.readAllBytes(heard.get(heard.size() - 1))).samples();
    int loud = 0;
    for (int at = 0; at + FRAME <= recording.length; at += FRAME) {
      if (AudioCompare.rms(recording, at, at + FRAME) > 1000) {
        loud++;
      }
    }
    System.out.printf(
        "FIGURE StalledClientIT stall = %d s: %d samples dropped (%d frames), max lag %d ms,"
            + " %d tone frames at the far end%n",
        STALL.toSeconds(), dropped, stats.getFramesDropped(), stats.getMaxLagMs(), loud);
    assertThat(loud)
        .as("20 ms frames of the tone bob received")
        .isGreaterThanOrEqualTo((int) (STALL.toSeconds() * 50));
  }
}

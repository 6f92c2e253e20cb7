package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.media.v1.Audio;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.AudioFormat;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.CallState;
import org.sipline.api.media.v1.Clear;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.InterruptRequest;
import org.sipline.api.media.v1.InterruptResponse;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.ListenRequest;
import org.sipline.api.media.v1.Mark;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.api.media.v1.Open;
import org.sipline.api.media.v1.Pause;
import org.sipline.api.media.v1.Resume;
import org.sipline.api.media.v1.SendDtmf;
import org.sipline.core.AlreadyExistsException;
import org.sipline.core.FailedPreconditionException;
import org.sipline.core.StatusType;
import org.sipline.core.media.ConverseOptions;
import org.sipline.core.media.MarkOutcome;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.StreamCounters;
import org.sipline.core.spi.DtmfMethod;
import org.slf4j.LoggerFactory;

/**
 * The LineMedia service over a {@link FakeLineMedia}, through a real gRPC server and client on
 * loopback: requests reach the stream's commands, events reach the client in order and only while
 * it reads, errors are mapped, and every way a call ends reaches the stream.
 */
class LineMediaServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The client's HTTP/2 window: small, so a client that stops reading stops the server soon. */
  private static final int CLIENT_WINDOW = 64 * 1024;

  private final FakeLineMedia media = new FakeLineMedia();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private LineMediaService service;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    service = new LineMediaService(media);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .directExecutor()
            .addService(service)
            .build()
            .start();
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .flowControlWindow(CLIENT_WINDOW)
            .build();
    logs.start();
    ((Logger) LoggerFactory.getLogger(MediaEventPump.class)).addAppender(logs);
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(MediaEventPump.class)).detachAppender(logs);
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    service.close();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private LineMediaGrpc.LineMediaStub stub() {
    return LineMediaGrpc.newStub(channel);
  }

  private static ConverseRequest open(CallSelector call) {
    return ConverseRequest.newBuilder().setOpen(Open.newBuilder().setCall(call)).build();
  }

  private static ConverseRequest audio(String utterance, int bytes, boolean end) {
    return ConverseRequest.newBuilder()
        .setAudio(
            Audio.newBuilder()
                .setUtteranceId(utterance)
                .setData(ByteString.copyFrom(new byte[bytes]))
                .setEndOfUtterance(end))
        .build();
  }

  private static ConverseRequest mark(String id) {
    return ConverseRequest.newBuilder().setMark(Mark.newBuilder().setId(id)).build();
  }

  private static ConverseRequest clear(String through) {
    return ConverseRequest.newBuilder()
        .setClear(Clear.newBuilder().setThroughUtterance(through))
        .build();
  }

  private static MediaEvent.Opened opened(String callId) {
    return new MediaEvent.Opened(
        1,
        callId,
        "sip:bob@example.org",
        true,
        "PCMU",
        8000,
        new org.sipline.core.media.AudioFormat(org.sipline.core.media.AudioEncoding.LINEAR16, 8000),
        new org.sipline.core.media.AudioFormat(org.sipline.core.media.AudioEncoding.LINEAR16, 8000),
        20,
        1000,
        20_000,
        "token-1",
        10_000,
        false,
        0);
  }

  private static MediaEvent.AudioIn frame(long position) {
    return new MediaEvent.AudioIn(position, new byte[320], 0, 0, false);
  }

  private static StreamCounters counters() {
    return new StreamCounters(100, 2, 40, 0, 1, 0, 3, 1, 900, 2, 3, 160, 8000);
  }

  /** Opens a Converse and waits until the fake has its stream. */
  private StreamObserver<ConverseRequest> converse(RecordingEvents<ConverseRequest> client) {
    int before = media.streams.size();
    StreamObserver<ConverseRequest> requests = stub().converse(client);
    requests.onNext(open(CallSelector.NEXT));
    await().atMost(WAIT).until(() -> media.streams.size() > before);
    return requests;
  }

  private static Status closed(RecordingEvents<?> client) throws Exception {
    return client.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private List<String> logLines() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : logs.list) {
      lines.add(e.getFormattedMessage());
    }
    return lines;
  }

  // ---- Converse -------------------------------------------------------------------------------

  @Test
  void openAttachesWithTheValidatedOptionsAndEventsArriveInOrderThenOk() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> requests = stub().converse(client);
    requests.onNext(
        ConverseRequest.newBuilder()
            .setOpen(
                Open.newBuilder()
                    .setCall(CallSelector.CURRENT)
                    .setInboundFormat(
                        AudioFormat.newBuilder()
                            .setEncoding(AudioEncoding.MULAW)
                            .setSampleRate(8000))
                    .setInboundFrameMs(40)
                    .setTakeOver(true)
                    .setResumeToken("abc"))
            .build());
    await().atMost(WAIT).until(() -> !media.streams.isEmpty());
    ConverseOptions options = media.converses.get(0);
    assertThat(options.call()).isEqualTo(org.sipline.core.media.CallSelector.CURRENT);
    assertThat(options.inbound())
        .isEqualTo(
            new org.sipline.core.media.AudioFormat(
                org.sipline.core.media.AudioEncoding.MULAW, 8000));
    assertThat(options.outbound()).isEqualTo(org.sipline.core.media.AudioFormat.NATIVE);
    assertThat(options.inboundFrameMs()).isEqualTo(40);
    assertThat(options.maxQueuedMs()).isEqualTo(ConverseOptions.DEFAULT_MAX_QUEUED_MS);
    assertThat(options.takeOver()).isTrue();
    assertThat(options.resumeToken()).isEqualTo("abc");

    FakeMediaStream stream = media.stream();
    stream.emit(
        opened("call-1"),
        frame(0),
        frame(160),
        new MediaEvent.MarkResolved(2, "m1", MarkOutcome.PLAYED, 4000),
        new MediaEvent.Dtmf(3, '#', true, 4100, 120, DtmfMethod.RFC4733),
        new MediaEvent.CallState(4, MediaEvent.CallState.State.ENDED, 0, "BYE", 8000),
        new MediaEvent.Statistics(5, counters()));
    stream.end();

    assertThat(closed(client).getCode()).isEqualTo(Status.Code.OK);
    assertThat(client.events)
        .extracting(ConverseEvent::getKindCase)
        .containsExactly(
            ConverseEvent.KindCase.OPENED,
            ConverseEvent.KindCase.AUDIO_IN,
            ConverseEvent.KindCase.AUDIO_IN,
            ConverseEvent.KindCase.MARK,
            ConverseEvent.KindCase.DTMF,
            ConverseEvent.KindCase.CALL_STATE,
            ConverseEvent.KindCase.STATISTICS);
    assertThat(client.events.get(0).getOpened().getCallId()).isEqualTo("call-1");
    assertThat(client.events.get(0).getSequence()).isEqualTo(1);
    assertThat(client.events.get(2).getAudioIn().getPosition()).isEqualTo(160);
    assertThat(client.events.get(2).getSequence()).isZero();
    assertThat(client.events.get(3).getMark().getOutcome()).isEqualTo(MarkResolved.Outcome.PLAYED);
    assertThat(client.events.get(4).getDtmf().getDigit()).isEqualTo("#");
    assertThat(client.events.get(4).getDtmf().getDurationMs()).isEqualTo(120);
    assertThat(client.events.get(5).getCallState().getState()).isEqualTo(CallState.State.ENDED);
    assertThat(client.events.get(6).getStatistics().getPlayedSamples()).isEqualTo(8000);
    assertThat(client.events.get(6).getSequence()).isEqualTo(5);
    requests.onCompleted();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(logLines())
                    .anySatisfy(
                        l ->
                            assertThat(l)
                                .startsWith("Converse stream of call call-1 completed")
                                .contains("frames_sent=100", "marks_played=3", "digits_out=3")));
  }

  @Test
  void everyCommandReachesTheStreamInOrderWithTheProtoDefaultsFilledIn() {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> requests = converse(client);
    requests.onNext(audio("u1", 321, false));
    requests.onNext(audio("u1", 1, true));
    requests.onNext(mark("m1"));
    requests.onNext(ConverseRequest.newBuilder().setPause(Pause.getDefaultInstance()).build());
    requests.onNext(ConverseRequest.newBuilder().setResume(Resume.getDefaultInstance()).build());
    requests.onNext(clear("u1"));
    requests.onNext(
        ConverseRequest.newBuilder().setSendDtmf(SendDtmf.newBuilder().setDigits("12#")).build());
    requests.onNext(
        ConverseRequest.newBuilder()
            .setSendDtmf(SendDtmf.newBuilder().setDigits("*").setDurationMs(250).setGapMs(90))
            .build());
    FakeMediaStream stream = media.stream();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(stream.commands)
                    .containsExactly(
                        "audio u1 321",
                        "audio u1 1 end",
                        "mark m1",
                        "pause",
                        "resume",
                        "clear u1",
                        "dtmf 12# 100/70",
                        "dtmf * 250/90"));
  }

  @Test
  void aFirstRequestOtherThanOpenIsRefusedNamingOpen() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    stub().converse(client).onNext(audio("u1", 2, false));
    Status status = closed(client);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("open: the first request must be Open, not audio");
    assertThat(media.converses).isEmpty();
  }

  @Test
  void aSecondOpenIsRefusedAndTheStreamIsDetachedForResumptionKeepingItsQueue() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> requests = converse(client);
    requests.onNext(open(CallSelector.CURRENT));
    Status status = closed(client);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("open: sent twice");
    assertThat(media.stream().commands).containsExactly("detach keeping queue");
    assertThat(media.converses).hasSize(1);
  }

  @Test
  void anEmptyRequestIsRefusedNamingKind() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> requests = converse(client);
    requests.onNext(ConverseRequest.getDefaultInstance());
    Status status = closed(client);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("kind: empty request");
  }

  @Test
  void openOptionsTheCoreRefusesAreInvalidArgumentNamingTheField() throws Exception {
    RecordingEvents<ConverseRequest> unset = new RecordingEvents<>(true);
    stub().converse(unset).onNext(open(CallSelector.CALL_SELECTOR_UNSPECIFIED));
    assertThat(closed(unset).getDescription()).isEqualTo("open.call: not set; CURRENT or NEXT");

    RecordingEvents<ConverseRequest> frame = new RecordingEvents<>(true);
    stub()
        .converse(frame)
        .onNext(
            ConverseRequest.newBuilder()
                .setOpen(Open.newBuilder().setCall(CallSelector.NEXT).setInboundFrameMs(15))
                .build());
    Status status = closed(frame);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("open.inbound_frame_ms: 15 ms");

    RecordingEvents<ConverseRequest> encoding = new RecordingEvents<>(true);
    stub()
        .converse(encoding)
        .onNext(
            ConverseRequest.newBuilder()
                .setOpen(
                    Open.newBuilder()
                        .setCall(CallSelector.NEXT)
                        .setOutboundFormat(AudioFormat.newBuilder().setEncodingValue(9)))
                .build());
    assertThat(closed(encoding).getDescription())
        .isEqualTo("open.outbound_format.encoding: unknown value 9; LINEAR16, MULAW or ALAW");

    RecordingEvents<ConverseRequest> rate = new RecordingEvents<>(true);
    stub()
        .converse(rate)
        .onNext(
            ConverseRequest.newBuilder()
                .setOpen(
                    Open.newBuilder()
                        .setCall(CallSelector.NEXT)
                        .setOutboundFormat(
                            AudioFormat.newBuilder()
                                .setEncoding(AudioEncoding.ALAW)
                                .setSampleRate(16000)))
                .build());
    assertThat(closed(rate).getDescription()).startsWith("open.outbound_format.sample_rate:");
    assertThat(media.converses).isEmpty();
  }

  @Test
  void aSecondWriterIsAlreadyExistsAndNoCallIsFailedPrecondition() throws Exception {
    media.refusal = new AlreadyExistsException("call c1 has a writer; set take_over to replace it");
    RecordingEvents<ConverseRequest> second = new RecordingEvents<>(true);
    stub().converse(second).onNext(open(CallSelector.CURRENT));
    Status status = closed(second);
    assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(status.getDescription())
        .isEqualTo("call c1 has a writer; set take_over to replace it");

    media.refusal = new FailedPreconditionException(StatusType.READY, "no call in progress");
    RecordingEvents<ConverseRequest> noCall = new RecordingEvents<>(true);
    stub().converse(noCall).onNext(open(CallSelector.CURRENT));
    status = closed(noCall);
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).isEqualTo("no call in progress (line is READY)");
  }

  @Test
  void aCommandTheStreamRefusesEndsTheCallNamingTheFieldAndDetachesKeepingTheQueue()
      throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> requests = converse(client);
    FakeMediaStream stream = media.stream();
    stream.emit(opened("call-1"));
    requests.onNext(mark("m1"));
    requests.onNext(mark("m1"));
    Status status = closed(client);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("mark.id: \"m1\" was used before");
    assertThat(stream.commands).containsExactly("mark m1", "detach keeping queue");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(logLines())
                    .anySatisfy(
                        l ->
                            assertThat(l)
                                .startsWith(
                                    "Converse stream of call call-1 refused: INVALID_ARGUMENT")));
  }

  @Test
  void aClientThatCancelsDetachesTheStream() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    converse(client);
    FakeMediaStream stream = media.stream();
    stream.emit(opened("call-7"));
    await().atMost(WAIT).until(() -> client.events.size() == 1);
    client.cancel();
    await().atMost(WAIT).until(() -> stream.commands.contains("detach"));
    assertThat(stream.commands).containsExactly("detach");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(logLines())
                    .anySatisfy(
                        l ->
                            assertThat(l)
                                .startsWith(
                                    "Converse stream of call call-7 detached (client gone)")));
  }

  @Test
  void aClientThatDisconnectsDetachesTheStream() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    converse(client);
    FakeMediaStream stream = media.stream();
    channel.shutdownNow();
    await().atMost(WAIT).until(() -> stream.commands.contains("detach"));
  }

  @Test
  void aHalfCloseClosesTheStreamWhoseEventsGoOnUntilItFinishes() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> requests = converse(client);
    FakeMediaStream stream = media.stream();
    stream.emit(opened("call-1"));
    requests.onCompleted();
    await().atMost(WAIT).until(() -> stream.commands.contains("close"));
    stream.emit(
        new MediaEvent.MarkResolved(2, "m1", MarkOutcome.DETACHED, 0),
        new MediaEvent.Statistics(3, counters()));
    stream.end();
    assertThat(closed(client).getCode()).isEqualTo(Status.Code.OK);
    assertThat(client.events).hasSize(3);
    assertThat(stream.commands).containsExactly("close");
  }

  @Test
  void aHalfCloseBeforeOpenIsRefused() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    stub().converse(client).onCompleted();
    Status status = closed(client);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("open: ");
  }

  // ---- flow control -----------------------------------------------------------------------------

  @Test
  void aClientThatStopsReadingStopsThePollingAndItsRequestsAreStillRead() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(false);
    StreamObserver<ConverseRequest> requests = converse(client);
    FakeMediaStream stream = media.stream();
    int total = 20_000; // 6.4 MB of caller audio, a hundred times the client's window
    MediaEvent[] frames = new MediaEvent[total];
    for (int i = 0; i < total; i++) {
      frames[i] = frame(160L * i);
    }
    stream.emit(frames);

    // The server takes what fits into the client's window and gRPC's small send buffer, then
    // nothing more: the rest stays in the stream, where the core bounds it.
    AtomicLong seen = new AtomicLong(-1);
    await()
        .atMost(WAIT)
        .during(Duration.ofMillis(500))
        .until(
            () -> {
              long now = stream.polled();
              return now > 0 && now == seen.getAndSet(now);
            });
    long taken = stream.polled();
    assertThat(taken * 330).as("bytes taken from the stream").isLessThan(4L * CLIENT_WINDOW);
    assertThat(stream.waiting()).isEqualTo(total - taken);

    // Outbound is blocked, inbound is not: a Clear arrives at once.
    requests.onNext(clear("u1"));
    requests.onNext(mark("m9"));
    await().atMost(WAIT).until(() -> stream.commands.equals(List.of("clear u1", "mark m9")));

    // Reading again gets everything, in order, nothing lost on the server's side.
    client.read(Integer.MAX_VALUE);
    await().atMost(WAIT).until(() -> client.events.size() == total);
    for (int i = 0; i < total; i += 997) {
      assertThat(client.events.get(i).getAudioIn().getPosition()).isEqualTo(160L * i);
    }
  }

  @Test
  void eventsWokenFromManyThreadsAllArriveOnceAndInEachThreadsOrder() throws Exception {
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    converse(client);
    FakeMediaStream stream = media.stream();
    int threads = 4;
    int each = 5_000;
    ExecutorService emitters = Executors.newFixedThreadPool(threads);
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long base = 1_000_000L * t;
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < each; i++) {
                    stream.emit(frame(base + i));
                  }
                },
                emitters));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      emitters.shutdownNow();
    }
    await().atMost(WAIT).until(() -> client.events.size() == threads * each);
    long[] last = new long[threads];
    java.util.Arrays.fill(last, -1);
    for (ConverseEvent e : client.events) {
      long p = e.getAudioIn().getPosition();
      int t = (int) (p / 1_000_000L);
      assertThat(p).isGreaterThan(last[t]);
      last[t] = p;
    }
    assertThat(client.closed).isNotDone();
  }

  // ---- Listen, Interrupt ------------------------------------------------------------------------

  @Test
  void listenTapsTheCallReadOnlyAndACancelDetachesIt() throws Exception {
    RecordingEvents<ListenRequest> client = new RecordingEvents<>(true);
    stub()
        .listen(
            ListenRequest.newBuilder()
                .setCall(CallSelector.CURRENT)
                .setInboundFrameMs(100)
                .setMaxInboundLagMs(5000)
                .build(),
            client);
    await().atMost(WAIT).until(() -> !media.streams.isEmpty());
    assertThat(media.listens.get(0).inboundFrameMs()).isEqualTo(100);
    assertThat(media.listens.get(0).maxInboundLagMs()).isEqualTo(5000);
    FakeMediaStream stream = media.stream();
    stream.emit(opened("call-2"), frame(0));
    await().atMost(WAIT).until(() -> client.events.size() == 2);
    client.cancel();
    await().atMost(WAIT).until(() -> stream.commands.contains("detach"));
  }

  @Test
  void listenEndsOkWhenTheStreamFinishes() throws Exception {
    RecordingEvents<ListenRequest> client = new RecordingEvents<>(true);
    stub().listen(ListenRequest.newBuilder().setCall(CallSelector.NEXT).build(), client);
    await().atMost(WAIT).until(() -> !media.streams.isEmpty());
    media.stream().emit(opened("c"), new MediaEvent.Statistics(2, counters())).end();
    assertThat(closed(client).getCode()).isEqualTo(Status.Code.OK);
    assertThat(client.events).hasSize(2);
  }

  @Test
  void listenRefusalsAreMapped() throws Exception {
    RecordingEvents<ListenRequest> bad = new RecordingEvents<>(true);
    stub()
        .listen(
            ListenRequest.newBuilder().setCall(CallSelector.NEXT).setInboundFrameMs(7).build(),
            bad);
    assertThat(closed(bad).getDescription()).startsWith("inbound_frame_ms: 7 ms");

    media.refusal = new FailedPreconditionException(StatusType.READY, "no call in progress");
    RecordingEvents<ListenRequest> noCall = new RecordingEvents<>(true);
    stub().listen(ListenRequest.newBuilder().setCall(CallSelector.CURRENT).build(), noCall);
    assertThat(closed(noCall).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void interruptAnswersWhatWasCleared() {
    media.interruptAnswer =
        CompletableFuture.completedFuture(
            new MediaEvent.Cleared(0, "u2", "u1", 4321, 12_000, List.of("u1", "u2"), 9000));
    InterruptResponse response =
        LineMediaGrpc.newBlockingStub(channel)
            .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .interrupt(
                InterruptRequest.newBuilder().setCallId("c1").setThroughUtterance("u2").build());
    assertThat(media.interrupts).containsExactly("c1/u2");
    assertThat(response.getCleared().getPlayedSamples()).isEqualTo(4321);
    assertThat(response.getCleared().getInterruptedUtterance()).isEqualTo("u1");
    assertThat(response.getCleared().getClearedUtterancesList()).containsExactly("u1", "u2");
    assertThat(response.getCleared().getDroppedSamples()).isEqualTo(9000);
  }

  @Test
  void interruptWithoutACallIsFailedPrecondition() {
    media.interruptAnswer =
        CompletableFuture.failedFuture(
            new FailedPreconditionException(StatusType.READY, "no call in progress"));
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                LineMediaGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .interrupt(InterruptRequest.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).isEqualTo("no call in progress (line is READY)");
  }
}

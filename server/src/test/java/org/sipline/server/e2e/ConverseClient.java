package org.sipline.server.e2e;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.sipline.api.media.v1.Audio;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.AudioFormat;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.Clear;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.Mark;
import org.sipline.api.media.v1.Open;

/**
 * A Converse stream for end-to-end tests: LINEAR16 at 8 kHz both ways, every event recorded, the
 * caller's audio collected, and waits for the event a test needs.
 */
final class ConverseClient implements ClientResponseObserver<ConverseRequest, ConverseEvent> {
  static final Duration WAIT = Duration.ofSeconds(20);

  final List<ConverseEvent> events = new CopyOnWriteArrayList<>();
  final CompletableFuture<Status> closed = new CompletableFuture<>();
  private final ByteArrayOutputStream callerAudio = new ByteArrayOutputStream();
  private volatile ClientCallStreamObserver<ConverseRequest> requests;

  private ConverseClient() {}

  /** Opens a Converse on {@code channel} with {@code call}, resuming {@code resumeToken} if set. */
  static ConverseClient open(ManagedChannel channel, CallSelector call, String resumeToken) {
    ConverseClient client = new ConverseClient();
    LineMediaGrpc.newStub(channel).converse(client);
    AudioFormat pcm8k =
        AudioFormat.newBuilder().setEncoding(AudioEncoding.LINEAR16).setSampleRate(8000).build();
    client.send(
        ConverseRequest.newBuilder()
            .setOpen(
                Open.newBuilder()
                    .setCall(call)
                    .setInboundFormat(pcm8k)
                    .setOutboundFormat(pcm8k)
                    .setResumeToken(resumeToken))
            .build());
    return client;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ConverseRequest> requestStream) {
    requests = requestStream;
  }

  synchronized void send(ConverseRequest request) {
    requests.onNext(request);
  }

  void audio(String utterance, byte[] data, int from, int length, boolean end) {
    send(
        ConverseRequest.newBuilder()
            .setAudio(
                Audio.newBuilder()
                    .setUtteranceId(utterance)
                    .setData(ByteString.copyFrom(data, from, length))
                    .setEndOfUtterance(end))
            .build());
  }

  void mark(String id) {
    send(ConverseRequest.newBuilder().setMark(Mark.newBuilder().setId(id)).build());
  }

  void clear(String through) {
    send(
        ConverseRequest.newBuilder()
            .setClear(Clear.newBuilder().setThroughUtterance(through))
            .build());
  }

  void cancel() {
    requests.cancel("test disconnects", null);
  }

  void halfClose() {
    synchronized (this) {
      requests.onCompleted();
    }
  }

  @Override
  public void onNext(ConverseEvent event) {
    events.add(event);
    if (event.getKindCase() == ConverseEvent.KindCase.AUDIO_IN) {
      synchronized (callerAudio) {
        callerAudio.writeBytes(event.getAudioIn().getData().toByteArray());
      }
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

  /** The first event so far or within {@link #WAIT} that matches. */
  ConverseEvent await(Predicate<ConverseEvent> match) {
    return Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> events.stream().filter(match).findFirst().orElse(null), e -> e != null);
  }

  ConverseEvent await(ConverseEvent.KindCase kind) {
    return await(e -> e.getKindCase() == kind);
  }

  /** The caller's audio received so far, as samples. */
  short[] callerSamples() {
    byte[] bytes;
    synchronized (callerAudio) {
      bytes = callerAudio.toByteArray();
    }
    short[] samples = new short[bytes.length / 2];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
    return samples;
  }

  static byte[] bytes(short[] samples) {
    ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.asShortBuffer().put(samples);
    return b.array();
  }
}

package org.sipline.benchmarks.media;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
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
 * The bot's side of one Converse stream, as a Java gRPC client writes it: async stub, requests
 * written as they come, every event recorded with its arrival time ({@link StreamRecord}).
 *
 * <p>Two behaviours on top: it can echo each caller frame back as bot audio (a bidirectional stream
 * in its simplest form), and it can stop reading ({@link #stall}): with manual flow control it
 * stops asking gRPC for events, so they pile up in its transport until the HTTP/2 window is full
 * and the server sees it as not ready.
 */
final class ConverseClient implements ClientResponseObserver<ConverseRequest, ConverseEvent> {
  static final String ECHO_UTTERANCE = "echo";

  private final StreamRecord record = new StreamRecord();
  private final boolean manualFlow;
  private final LocalAddress local = new LocalAddress();
  private ClientCallStreamObserver<ConverseRequest> requests;
  private volatile boolean echo;
  private volatile boolean stalled;

  private ConverseClient(boolean manualFlow) {
    this.manualFlow = manualFlow;
  }

  /**
   * Opens a Converse stream on the line's current call and waits for its {@code Opened}.
   *
   * @param inbound caller audio's encoding (MULAW, or LINEAR16 at 8 kHz)
   * @param manualFlow take events only as the client asks for them (so that {@link #stall} works)
   */
  static ConverseClient open(
      Channel channel, AudioEncoding inbound, boolean manualFlow, Duration timeout)
      throws InterruptedException, TimeoutException {
    ConverseClient c = new ConverseClient(manualFlow);
    Channel intercepted = ClientInterceptors.intercept(channel, c.local);
    LineMediaGrpc.newStub(intercepted).converse(c);
    c.send(
        ConverseRequest.newBuilder()
            .setOpen(
                Open.newBuilder()
                    .setCall(CallSelector.CURRENT)
                    .setInboundFormat(AudioFormat.newBuilder().setEncoding(inbound))
                    .setOutboundFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.MULAW)))
            .build());
    c.record.await(0, ConverseEvent::hasOpened, timeout, "Converse's Opened");
    return c;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ConverseRequest> stream) {
    this.requests = stream;
    if (manualFlow) {
      stream.disableAutoRequestWithInitial(1);
    }
  }

  @Override
  public void onNext(ConverseEvent e) {
    long at = WallClock.nanos();
    if (e.hasAudioIn()) {
      record.audio(e.getAudioIn(), at);
      if (echo) {
        send(
            ConverseRequest.newBuilder()
                .setAudio(
                    Audio.newBuilder()
                        .setUtteranceId(ECHO_UTTERANCE)
                        .setData(e.getAudioIn().getData()))
                .build());
      }
    } else {
      record.control(e, at);
    }
    if (manualFlow && !stalled) {
      requests.request(1);
    }
  }

  @Override
  public void onError(Throwable t) {
    record.failed(t);
  }

  @Override
  public void onCompleted() {
    record.completed();
  }

  StreamRecord record() {
    return record;
  }

  /** The client's TCP port of this stream's connection, once it is open (else -1). */
  int localPort() {
    return local.port();
  }

  /** Sends one request; returns the wall-clock time taken just before it was handed to gRPC. */
  synchronized long send(ConverseRequest r) {
    long at = WallClock.nanos();
    requests.onNext(r);
    return at;
  }

  long audio(String utterance, byte[] data, boolean end) {
    return send(
        ConverseRequest.newBuilder()
            .setAudio(
                Audio.newBuilder()
                    .setUtteranceId(utterance)
                    .setData(ByteString.copyFrom(data))
                    .setEndOfUtterance(end))
            .build());
  }

  long mark(String id) {
    return send(ConverseRequest.newBuilder().setMark(Mark.newBuilder().setId(id)).build());
  }

  long clear(String throughUtterance) {
    return send(
        ConverseRequest.newBuilder()
            .setClear(Clear.newBuilder().setThroughUtterance(throughUtterance))
            .build());
  }

  /** From now on each caller frame received is sent back as bot audio, one endless utterance. */
  void echo(boolean on) {
    echo = on;
  }

  /** Stops taking events (needs manual flow). */
  void stall() {
    if (!manualFlow) {
      throw new IllegalStateException("stall needs a stream opened with manual flow control");
    }
    stalled = true;
  }

  /** Takes events again, as fast as they come. */
  void resume() {
    stalled = false;
    requests.request(1);
  }

  /** Half-closes: the stream ends itself (its statistics last). */
  synchronized void close() {
    requests.onCompleted();
  }

  /** Remembers the call so that its transport's local address can be read once it is open. */
  private static final class LocalAddress implements ClientInterceptor {
    private volatile ClientCall<?, ?> call;

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(
        MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      ClientCall<Q, A> c = next.newCall(method, options);
      call = c;
      return new ForwardingClientCall.SimpleForwardingClientCall<>(c) {};
    }

    int port() {
      ClientCall<?, ?> c = call;
      if (c == null) {
        return -1;
      }
      SocketAddress a = c.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
      return a instanceof InetSocketAddress i ? i.getPort() : -1;
    }
  }
}

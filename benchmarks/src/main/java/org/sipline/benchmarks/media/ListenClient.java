package org.sipline.benchmarks.media;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.AudioFormat;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.ListenRequest;

/** One read-only Listen stream on the line's current call, its events recorded with their times. */
final class ListenClient implements ClientResponseObserver<ListenRequest, ConverseEvent> {
  private final StreamRecord record = new StreamRecord();
  private volatile ClientCallStreamObserver<ListenRequest> call;

  private ListenClient() {}

  /** Starts listening (µ-law, one event per packet); returns at once. */
  static ListenClient start(ManagedChannel channel) {
    ListenClient c = new ListenClient();
    LineMediaGrpc.newStub(channel)
        .listen(
            ListenRequest.newBuilder()
                .setCall(CallSelector.CURRENT)
                .setInboundFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.MULAW))
                .build(),
            c);
    return c;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ListenRequest> stream) {
    this.call = stream;
  }

  @Override
  public void onNext(ConverseEvent e) {
    long at = WallClock.nanos();
    if (e.hasAudioIn()) {
      record.audio(e.getAudioIn(), at);
    } else {
      record.control(e, at);
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

  /** Stops listening (the client goes away). */
  void cancel() {
    ClientCallStreamObserver<ListenRequest> c = call;
    if (c != null) {
      c.cancel("listening done", null);
    }
  }
}

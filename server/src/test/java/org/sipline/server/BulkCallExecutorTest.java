package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.testing.TestWavs;

/**
 * SipPlayWavFiles and SipGetSipStatusHistory run on the bulk pool, every other rpc on the event
 * loop that read it; the pool's threads end with the server.
 */
class BulkCallExecutorTest {
  private static final String POOL_THREAD = "sipline-grpc-bulk-";

  @Test
  void onlyPlayAndHistoryGoToThePool() {
    try (BulkCallExecutor bulk = new BulkCallExecutor()) {
      assertThat(executorFor(bulk, SipGrpc.getSipPlayWavFilesMethod())).isNotNull();
      assertThat(executorFor(bulk, SipGrpc.getSipGetSipStatusHistoryMethod())).isNotNull();
      assertThat(executorFor(bulk, SipGrpc.getSipGetSipStatusMethod())).isNull();
      assertThat(executorFor(bulk, SipGrpc.getSipMuteMethod())).isNull();
      assertThat(executorFor(bulk, SipGrpc.getSipStartCallMethod())).isNull();
      assertThat(executorFor(bulk, HealthGrpc.getCheckMethod())).isNull();
    }
  }

  @Test
  void aPlayRequestIsDecodedOnThePoolWhoseThreadsEndWithTheServer() throws Exception {
    RunningServer running = RunningServer.start();
    try {
      running.connectCall();
      assertThat(
              running
                  .sip()
                  .sipPlayWavFiles(
                      SipPlayWavFilesRequest.newBuilder()
                          .addWavFiles(ByteString.copyFrom(TestWavs.sine(8000, 1, 440, 60, 0.5)))
                          .build())
                  .getStatusType())
          .isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
      assertThat(poolThreads()).as("bulk pool threads after a play").isPositive();
    } finally {
      running.close();
    }
    await().atMost(RunningServer.WAIT).until(() -> poolThreads() == 0);
  }

  /**
   * A call whose token check may block (a JWKS fetch is due) is started on the pool: interceptors
   * and all, so the check may wait for the provider there and never on an event loop.
   */
  @Test
  void aCallWhoseTokenCheckMayBlockRunsItsInterceptorsOnThePool() throws Exception {
    Metadata.Key<String> mayBlock =
        Metadata.Key.of("x-may-block", Metadata.ASCII_STRING_MARSHALLER);
    List<Boolean> onPool = new CopyOnWriteArrayList<>();
    ServerInterceptor probe =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            onPool.add(BulkCallExecutor.onPoolThread());
            return next.startCall(call, headers);
          }
        };
    SipGrpc.SipImplBase service =
        new SipGrpc.SipImplBase() {
          @Override
          public void sipGetSipStatus(Empty request, StreamObserver<SipStatus> response) {
            response.onNext(SipStatus.getDefaultInstance());
            response.onCompleted();
          }
        };
    try (BulkCallExecutor bulk = new BulkCallExecutor(h -> h.containsKey(mayBlock))) {
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .directExecutor()
              .callExecutor(bulk)
              .addService(ServerInterceptors.intercept(service, probe))
              .build()
              .start();
      ManagedChannel channel =
          Grpc.newChannelBuilder(
                  "127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
              .build();
      try {
        SipGrpc.newBlockingStub(channel).sipGetSipStatus(Empty.getDefaultInstance());
        Metadata headers = new Metadata();
        headers.put(mayBlock, "yes");
        SipGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .sipGetSipStatus(Empty.getDefaultInstance());
      } finally {
        channel.shutdownNow();
        server.shutdownNow();
      }
    }
    assertThat(onPool).containsExactly(false, true);
  }

  private static long poolThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(POOL_THREAD))
        .count();
  }

  private static Executor executorFor(BulkCallExecutor bulk, MethodDescriptor<?, ?> method) {
    return bulk.getExecutor(new CallOf<>(method), new Metadata());
  }

  /** A call that only knows its method: all the supplier looks at. */
  private static final class CallOf<ReqT, RespT> extends ServerCall<ReqT, RespT> {
    private final MethodDescriptor<ReqT, RespT> method;

    CallOf(MethodDescriptor<ReqT, RespT> method) {
      this.method = method;
    }

    @Override
    public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
      return method;
    }

    @Override
    public void request(int numMessages) {
      throw new UnsupportedOperationException("not a live call");
    }

    @Override
    public void sendHeaders(Metadata headers) {
      throw new UnsupportedOperationException("not a live call");
    }

    @Override
    public void sendMessage(RespT message) {
      throw new UnsupportedOperationException("not a live call");
    }

    @Override
    public void close(Status status, Metadata trailers) {
      throw new UnsupportedOperationException("not a live call");
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public Attributes getAttributes() {
      return Attributes.EMPTY;
    }
  }
}

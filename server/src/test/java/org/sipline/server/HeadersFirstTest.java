package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStatus;

/**
 * What {@link HeadersFirst} relies on: a client with ONDEWO's retry policy repeats an rpc that
 * failed with a retried code, unless the server sent response headers first. A service that "acts"
 * (counts) and then fails with UNAVAILABLE is run with and without it.
 */
class HeadersFirstTest {
  private final AtomicInteger acted = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  /** Acts, then fails the way a dropped connection or a bug would. */
  private final class ActsThenFails extends SipGrpc.SipImplBase {
    @Override
    public void sipStartCall(SipStartCallRequest request, StreamObserver<SipStatus> response) {
      acted.incrementAndGet();
      response.onError(Status.UNAVAILABLE.withDescription("lost after acting").asException());
    }
  }

  private int actionsOfOneRpc(boolean headersFirst) throws Exception {
    var service =
        headersFirst
            ? ServerInterceptors.intercept(new ActsThenFails(), new HeadersFirst())
            : new ActsThenFails().bindService();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build()
            .start();
    OndewoRetryPolicy policy = new OndewoRetryPolicy();
    channel = policy.channel("127.0.0.1:" + server.getPort());
    assertThatThrownBy(
            () ->
                SipGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .sipStartCall(SipStartCallRequest.newBuilder().setCalleeId("bob").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(policy.attempts.get()).isEqualTo(acted.get());
    return acted.get();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void withoutEarlyHeadersTheClientRepeatsTheRpcFiveTimes() throws Exception {
    assertThat(actionsOfOneRpc(false)).isEqualTo(5);
  }

  @Test
  void withEarlyHeadersTheRpcRunsOnce() throws Exception {
    assertThat(actionsOfOneRpc(true)).isEqualTo(1);
  }
}

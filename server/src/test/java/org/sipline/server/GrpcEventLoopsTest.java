package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipGrpc;

/**
 * gRPC serves on the server's own event loops: {@link GrpcEventLoops#threads()}, stopped with it.
 */
class GrpcEventLoopsTest {

  @Test
  void everyConnectionIsServedOnTheServersOwnLoops() throws Exception {
    List<ManagedChannel> channels = new ArrayList<>();
    try (RunningServer running = RunningServer.start()) {
      for (int i = 0; i < 4; i++) {
        ManagedChannel c =
            Grpc.newChannelBuilder(running.target(), InsecureChannelCredentials.create()).build();
        channels.add(c);
        SipGrpc.newBlockingStub(c)
            .withDeadlineAfter(RunningServer.WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .sipGetSipStatus(Empty.getDefaultInstance());
      }
      var group = running.server.grpcLoops().group();
      Set<String> threads = new HashSet<>();
      int loops = 0;
      for (EventExecutor e : group) {
        loops++;
        threads.add(((SingleThreadEventExecutor) e).threadProperties().name());
      }
      assertThat(loops).isEqualTo(GrpcEventLoops.threads());
      // One loop per core, each with a thread of the server's own naming (gRPC's default group
      // would give two per core, named grpc-default-worker-ELG-…).
      assertThat(threads)
          .hasSize(GrpcEventLoops.threads())
          .allMatch(n -> n.startsWith("grpc-loop"));
      assertThat(group.isShuttingDown()).isFalse();
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
    }
  }

  @Test
  void stoppingTheServerStopsItsLoops() throws Exception {
    GrpcEventLoops loops;
    try (RunningServer running = RunningServer.start()) {
      running.sip().sipGetSipStatus(Empty.getDefaultInstance());
      loops = running.server.grpcLoops();
    }
    assertThat(loops.group().isTerminated()).isTrue();
  }
}

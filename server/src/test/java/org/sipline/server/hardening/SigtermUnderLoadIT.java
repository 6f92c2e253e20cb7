package org.sipline.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.TestWavs;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * SIGTERM while the server is busy — a call up with a long prompt playing and 50 gRPC clients
 * polling status as fast as they can: the far end still gets its BYE, Kamailio its un-REGISTER, and
 * the process exits within 5 s; no poller sees anything but answers and, once the server is gone,
 * UNAVAILABLE.
 */
class SigtermUnderLoadIT {
  private static final int POLLERS = 50;

  @TempDir Path dir;

  @Test
  void sigtermUnderLoadStillSendsByeAndUnregistersAndExitsInFiveSeconds() throws Exception {
    try (Kamailio kamailio =
            Kamailio.start(KamailioOptions.defaults().withUser("alice", "alice-pw"));
        Sipp far =
            Sipp.uas(
                SippScenario.resource("uas-answer.xml"),
                SippOptions.defaults().withTimeout(Duration.ofMinutes(2)));
        // Drain 0: SIGTERM hangs the call up at once, the bound this test holds under load.
        SiplineProcess sipline =
            SiplineProcess.start(dir, "--backend", "jainsip", "--drain-timeout", "0s")) {
      String alice = "alice@" + kamailio.hostPort();
      assertThat(
              sipline
                  .sip()
                  .sipRegisterAccount(
                      SipRegisterAccountRequest.newBuilder()
                          .setAccountName(alice)
                          .setPassword("alice-pw")
                          .build())
                  .getStatusType())
          .isEqualTo(StatusType.REGISTERED);
      kamailio.awaitRegistered("alice", Duration.ofSeconds(10));
      sipline
          .sip()
          .sipStartSession(SipStartSessionRequest.newBuilder().setAccountName(alice).build());
      sipline
          .sip()
          .sipStartCall(
              SipStartCallRequest.newBuilder().setCalleeId("sipp@" + far.hostPort()).build());
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  sipline.sip().sipGetSipStatus(Empty.getDefaultInstance()).getStatusType()
                      == StatusType.OUTGOING_CALL_CONNECTED);

      ManagedChannel player = channel(sipline);
      // The prompt only has to be playing when SIGTERM comes; how its rpc ends is not the point.
      var unused =
          SipGrpc.newFutureStub(player)
              .sipPlayWavFiles(
                  SipPlayWavFilesRequest.newBuilder()
                      .addWavFiles(
                          ByteString.copyFrom(TestWavs.sine(8000, 1, 440, 20_000, 8000 / 32767.0)))
                      .build());
      AtomicLong answered = new AtomicLong();
      ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
      List<ManagedChannel> channels = new ArrayList<>();
      List<Thread> pollers = new ArrayList<>();
      for (int i = 0; i < POLLERS; i++) {
        ManagedChannel ch = channel(sipline);
        channels.add(ch);
        Thread t =
            new Thread(
                () -> {
                  SipGrpc.SipBlockingStub stub = SipGrpc.newBlockingStub(ch);
                  while (true) {
                    try {
                      stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                          .sipGetSipStatus(Empty.getDefaultInstance());
                      answered.incrementAndGet();
                    } catch (StatusRuntimeException e) {
                      if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                        unexpected.add(e);
                      }
                      return;
                    }
                  }
                },
                "poller");
        pollers.add(t);
        t.start();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> answered.get() > 1000);

      Duration exit = sipline.terminate(Duration.ofSeconds(10));

      assertThat(exit)
          .as("exit after SIGTERM")
          .isNotNull()
          .isLessThanOrEqualTo(Duration.ofSeconds(5));
      assertThat(far.awaitExit(Duration.ofSeconds(10)).succeeded())
          .as("the far end's call ended by our BYE")
          .isTrue();
      kamailio.awaitUnregistered("alice", Duration.ofSeconds(10));
      for (Thread t : pollers) {
        t.join(10_000);
      }
      assertThat(unexpected).as("what pollers got besides answers and UNAVAILABLE").isEmpty();
      System.out.println("FIGURE SigtermUnderLoadIT pollsAnsweredBeforeExit = " + answered.get());
      System.out.println("FIGURE SigtermUnderLoadIT exitMillis = " + exit.toMillis());
      for (ManagedChannel ch : channels) {
        ch.shutdownNow();
      }
      player.shutdownNow();
    }
  }

  private static ManagedChannel channel(SiplineProcess sipline) {
    return Grpc.newChannelBuilder(
            "127.0.0.1:" + sipline.grpcPort(), InsecureChannelCredentials.create())
        .build();
  }
}

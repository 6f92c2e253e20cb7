package org.sipline.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.ServerConfig;
import org.sipline.server.SiplineServer;
import org.sipline.testing.peers.FreePorts;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * 200 gRPC clients, each on a channel of its own, poll SipGetSipStatus as fast as they can while a
 * call is up (jainsip backend, Kamailio registrar, SIPp answering): every poll is answered, each
 * says the call is connected, and the call is still there and hangs up cleanly afterwards. 5 s of
 * polling in the default build, 30 s with -Plong. Every client connects (one untimed poll) before
 * the clock starts, so the printed figures are of polling, not of opening 200 connections. They are
 * closed-loop figures: with every client asking again as soon as it is answered, the median wait is
 * about the clients' number divided by the polls answered per second on this machine.
 */
class ConcurrentStatusPollersTest {
  private static final int CLIENTS = 200;

  @Test
  void twoHundredClientsPollingStatusDuringACallAllGetAnswersAndTheCallGoesOn() throws Exception {
    Duration polling =
        Boolean.getBoolean("sipline.long") ? Duration.ofSeconds(30) : Duration.ofSeconds(5);
    try (Kamailio kamailio =
            Kamailio.start(KamailioOptions.defaults().withUser("alice", "alice-pw"));
        Sipp far =
            Sipp.uas(
                SippScenario.resource("uas-answer.xml"),
                SippOptions.defaults().withTimeout(Duration.ofMinutes(2)));
        SiplineServer server =
            SiplineServer.start(
                ServerConfig.builder()
                    .grpcAddress("127.0.0.1")
                    .grpcPort(FreePorts.tcpPort())
                    .sipAddress("127.0.0.1")
                    .sipPort(FreePorts.sipPort())
                    .backend("jainsip")
                    .build())) {
      ManagedChannel control = channel(server);
      try {
        SipGrpc.SipBlockingStub sip = SipGrpc.newBlockingStub(control);
        String alice = "alice@" + kamailio.hostPort();
        assertThat(
                sip.sipRegisterAccount(
                        SipRegisterAccountRequest.newBuilder()
                            .setAccountName(alice)
                            .setPassword("alice-pw")
                            .build())
                    .getStatusType())
            .isEqualTo(StatusType.REGISTERED);
        sip.sipStartSession(SipStartSessionRequest.newBuilder().setAccountName(alice).build());
        sip.sipStartCall(
            SipStartCallRequest.newBuilder().setCalleeId("sipp@" + far.hostPort()).build());
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    sip.sipGetSipStatus(Empty.getDefaultInstance()).getStatusType()
                        == StatusType.OUTGOING_CALL_CONNECTED);

        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          channels.add(channel(server));
        }
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<String, AtomicLong> answers = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch connected = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(CLIENTS);
        AtomicLong end = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (ManagedChannel ch : channels) {
          Thread t =
              new Thread(
                  () -> {
                    SipGrpc.SipBlockingStub stub = SipGrpc.newBlockingStub(ch);
                    long[] mine = new long[200_000];
                    int n = 0;
                    boolean connectedCounted = false;
                    try {
                      // The first poll opens the channel's connection (TCP, HTTP/2 settings): that
                      // is
                      // set-up, not polling, so it is made and checked before the clock starts.
                      countAnswer(
                          answers,
                          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                              .sipGetSipStatus(Empty.getDefaultInstance()));
                      connected.countDown();
                      connectedCounted = true;
                      go.await();
                      while (System.nanoTime() < end.get() && n < mine.length) {
                        long t0 = System.nanoTime();
                        SipStatus s =
                            stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                                .sipGetSipStatus(Empty.getDefaultInstance());
                        mine[n++] = System.nanoTime() - t0;
                        countAnswer(answers, s);
                      }
                    } catch (RuntimeException e) {
                      errors.add(e);
                    } catch (InterruptedException e) {
                      errors.add(e);
                      Thread.currentThread().interrupt();
                    } finally {
                      if (!connectedCounted) {
                        connected.countDown();
                      }
                      latencies.add(Arrays.copyOf(mine, n));
                      finished.countDown();
                    }
                  },
                  "status-poller");
          clients.add(t);
        }
        clients.forEach(Thread::start);
        assertThat(connected.await(60, TimeUnit.SECONDS)).as("pollers connected").isTrue();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        end.set(start + polling.toNanos());
        go.countDown();
        assertThat(finished.await(polling.toSeconds() + 60, TimeUnit.SECONDS))
            .as("pollers finished")
            .isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuStart;
        for (ManagedChannel ch : channels) {
          ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        assertThat(errors).as("failed polls").isEmpty();
        assertThat(all.length).as("polls").isGreaterThan(CLIENTS);
        assertThat(answers.keySet())
            .as("statuses seen")
            .containsExactly(StatusType.OUTGOING_CALL_CONNECTED.name());
        assertThat(sip.sipGetSipStatus(Empty.getDefaultInstance()).getStatusType())
            .isEqualTo(StatusType.OUTGOING_CALL_CONNECTED);
        sip.sipEndCall(org.sipline.api.sip.SipEndCallRequest.getDefaultInstance());
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    sip.sipGetSipStatus(Empty.getDefaultInstance()).getStatusType()
                        == StatusType.READY);

        System.out.println("FIGURE ConcurrentStatusPollersTest clients = " + CLIENTS);
        System.out.println("FIGURE ConcurrentStatusPollersTest polls = " + all.length);
        System.out.printf(
            "FIGURE ConcurrentStatusPollersTest pollsPerSecond = %.0f%n", all.length / seconds);
        // The CPU this JVM (clients and server together) spent per poll: what the polls cost,
        // whatever share of a shared machine the test got.
        System.out.printf(
            "FIGURE ConcurrentStatusPollersTest cpuMicrosPerPoll = %.1f%n", cpu / 1e3 / all.length);
        System.out.printf(
            "FIGURE ConcurrentStatusPollersTest latency.p50Ms = %.2f%n", all[all.length / 2] / 1e6);
        System.out.printf(
            "FIGURE ConcurrentStatusPollersTest latency.p99Ms = %.2f%n",
            all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6);
        System.out.printf(
            "FIGURE ConcurrentStatusPollersTest latency.maxMs = %.2f%n", all[all.length - 1] / 1e6);
      } finally {
        control.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void countAnswer(Map<String, AtomicLong> answers, SipStatus s) {
    answers.computeIfAbsent(s.getStatusType().name(), k -> new AtomicLong()).incrementAndGet();
  }

  private static ManagedChannel channel(SiplineServer server) {
    return Grpc.newChannelBuilder(
            "127.0.0.1:" + server.grpcPort(), InsecureChannelCredentials.create())
        .build();
  }
}

package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.backend.jainsip.LoopbackCapture.Datagram;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Unregistered;
import org.sipline.core.Switchboard;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipUri;

/**
 * First REGISTERs under {@code --register-rate} keep the pace on the wire (SPEC §7), where they
 * leave the SIP thread: never more than the rate in any second of the capture, even while that
 * thread stalls and would otherwise release the registrations queued behind the stall together.
 */
class FirstRegisterPaceTest {
  private static final long SECOND = 1_000_000_000L;

  @TempDir Path dir;

  private final RecordingSipEventListener events = new RecordingSipEventListener();
  private ScriptedSipPeer registrar;
  private JainSipBackend backend;
  private Switchboard board;

  @AfterEach
  void tearDown() {
    if (board != null) {
      board.close();
    } else if (backend != null) {
      backend.close();
    }
    if (registrar != null) {
      registrar.close();
    }
  }

  private AccountSpec account(String user) {
    return new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "pw", user, null);
  }

  /**
   * Holds the SIP thread for 200 ms of every 350 ms, as a burst of other SIP work would: the
   * registrations handed to it meanwhile queue up behind the stall.
   */
  private static final class Stalls implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    Stalls(SipExecutor sip) {
      thread =
          new Thread(
              () -> {
                try {
                  do {
                    sip.execute(
                        () -> {
                          long until = System.nanoTime() + 200_000_000L;
                          while (System.nanoTime() < until) {
                            LockSupport.parkNanos(until - System.nanoTime());
                          }
                        });
                  } while (!stop.await(350, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "sip-stalls");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop.countDown();
      thread.join();
    }
  }

  @Test
  void sixtyLinesAtTwentyASecondNeverPutMoreThanTwentyInAnySecondWhileTheSipThreadStalls()
      throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend = JainSipBackend.start(BackendConfig.loopback().build());
    board = Switchboard.over(backend, 20);
    List<Datagram> wire;
    Set<String> arrived = new LinkedHashSet<>();
    try (LoopbackCapture capture = LoopbackCapture.start(dir, registrar.port(), registrar.port())) {
      try (Stalls stalls = new Stalls(backend.executor())) {
        for (int i = 0; i < 60; i++) {
          board.register(account("bot" + i), events);
        }
        for (int i = 0; i < 60; i++) {
          events.next(Registered.class, Duration.ofSeconds(30));
        }
      }
      for (SipText m : registrar.answered()) {
        if (m.method().equals("REGISTER")) {
          arrived.add(m.callId());
        }
      }
      assertThat(arrived).as("Call-IDs of the REGISTERs the registrar answered").hasSize(60);
      wire =
          capture.stopWhen(
              captured -> firstRegisters(captured).keySet().containsAll(arrived),
              Duration.ofSeconds(20));
    }

    // The first REGISTER of each Call-ID, at the time the kernel saw it on lo.
    Map<String, Long> first = firstRegisters(wire);
    assertThat(first.keySet())
        .as("first REGISTERs captured, of those the registrar answered")
        .containsExactlyInAnyOrderElementsOf(arrived);
    List<Long> at = new ArrayList<>(first.values());
    at.sort(null);
    int busiest = 0;
    for (int i = 0; i < at.size(); i++) {
      int n = 0;
      for (int j = i; j < at.size() && at.get(j) - at.get(i) < SECOND; j++) {
        n++;
      }
      busiest = Math.max(busiest, n);
    }
    long closest = Long.MAX_VALUE;
    for (int i = 1; i < at.size(); i++) {
      closest = Math.min(closest, at.get(i) - at.get(i - 1));
    }
    System.out.printf(
        "first REGISTERs: busiest second %d, closest two %.3f ms%n", busiest, closest / 1e6);
    assertThat(busiest).as("first REGISTERs in the busiest second [t, t + 1 s)").isLessThan(21);
    // Each leaves 50 ms after the previous send returned; 1 ms allows for the capture's clock
    // (CLOCK_REALTIME, slewed) against the pace's (System.nanoTime).
    assertThat(closest).as("closest two first REGISTERs, ns").isGreaterThan(49_000_000L);
  }

  /** The capture time of the first REGISTER of each Call-ID in {@code wire}. */
  private static Map<String, Long> firstRegisters(List<Datagram> wire) {
    Map<String, Long> first = new LinkedHashMap<>();
    InetSocketAddress any = new InetSocketAddress(0);
    for (Datagram d : wire) {
      SipText m = SipText.parse(d.payload(), d.payload().length, any);
      if (m.isRequest() && m.method().equals("REGISTER")) {
        first.putIfAbsent(m.callId(), d.epochNanos());
      }
    }
    return first;
  }

  @Test
  void aRegisterWaitingItsTurnIsNotUnderTheTimeoutAndOneUnregisteredMeanwhileSendsNothing()
      throws Exception {
    registrar = new ScriptedSipPeer();
    backend =
        JainSipBackend.start(
            BackendConfig.loopback().registerTimeout(Duration.ofSeconds(2)).build());
    backend.paceFirstRegisters(0.25); // one every 4 s: longer than the register timeout
    backend.register(account("alice"), events);
    SipText alice = registrar.expect("REGISTER", Duration.ofSeconds(10));
    registrar.respond(alice, 200, "OK");
    events.next(Registered.class);

    backend.register(account("bob"), events);
    SipAccount carol = backend.register(account("carol"), events);
    carol.unregister();
    // Carol's REGISTER never left: she is done at once, before Bob's turn came.
    assertThat(events.next(Unregistered.class).account()).isSameAs(carol);

    SipText bob = registrar.expect("REGISTER", Duration.ofSeconds(15));
    assertThat(bob.header("From")).contains("sip:bob@");
    registrar.respond(bob, 200, "OK");
    assertThat(events.next(Registered.class).account().spec().accountName()).startsWith("bob@");

    // Dave's turn is the next after Bob's: the REGISTER that arrives is his, never Carol's.
    backend.register(account("dave"), events);
    SipText dave = registrar.expect("REGISTER", Duration.ofSeconds(15));
    assertThat(dave.header("From")).contains("sip:dave@");
    assertThat(dave.callId()).isNotEqualTo(bob.callId());
  }
}

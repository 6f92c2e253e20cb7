package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.Transport;
import org.sipline.testing.peers.FreePorts;

/**
 * Every torture message of RFC 4475 (all 49) and RFC 5118 (12), sent to the jainsip backend's SIP
 * port over UDP and over TCP, each from a fresh socket and each checked against what its section
 * asks of a user agent (see {@link TortureMessage.Kind}); everything the stack sends back must
 * parse; afterwards no thread has died, the stack still answers OPTIONS on both transports, and it
 * holds no more threads than before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SipTortureTest {
  /** How long to wait for a first answer before calling a request dropped. */
  private static final int SILENCE_MILLIS = 400;

  private static final int BOUND_MILLIS = 5000;

  private static final List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
  private static final KnownDeviations deviations = KnownDeviations.load();
  private static Thread.UncaughtExceptionHandler previousHandler;
  private static SipBackend backend;
  private static int port;
  private static int threadsBefore;
  private static final AtomicInteger knownThreadDeaths = new AtomicInteger();

  @BeforeAll
  static void startBackend() throws java.io.IOException {
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    port = FreePorts.sipPort();
    backend = new JainSipBackendProvider().create(BackendConfig.loopback().sipPort(port).build());
    // Warm up both transports: the RI starts some threads at its first message and the first
    // answer takes the JIT's time, neither of which is the torture's doing.
    for (Transport t : List.of(Transport.UDP, Transport.TCP)) {
      assertThat(Liveness.probe(t, port, 5000)).as("OPTIONS over %s before", t).contains(200);
    }
    threadsBefore = settledThreadCount();
  }

  /** The backend's thread count once it stayed the same over two polls half a second apart. */
  private static int settledThreadCount() {
    AtomicInteger last = new AtomicInteger(-1);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> BackendThreads.count() == last.getAndSet(BackendThreads.count()));
    return last.get();
  }

  @AfterAll
  static void stopBackend() {
    if (backend != null) {
      backend.close();
    }
    Thread.setDefaultUncaughtExceptionHandler(previousHandler);
  }

  @TestFactory
  @Order(1)
  Stream<DynamicTest> eachTortureMessageGetsWhatItsSectionAsks() {
    return Stream.of(Transport.UDP, Transport.TCP)
        .flatMap(
            transport ->
                TortureCorpus.all().stream()
                    .map(
                        m ->
                            DynamicTest.dynamicTest(
                                m.name() + " over " + transport, () -> check(m, transport))));
  }

  private static void check(TortureMessage m, Transport transport) throws Exception {
    List<SipReply> replies;
    long start = System.nanoTime();
    // A request that must be answered gets the whole bound; for one that may be dropped,
    // silence for a while is the answer.
    TortureMessage.Kind kind = m.expect().kind();
    int silence =
        kind == TortureMessage.Kind.ANSWER || kind == TortureMessage.Kind.CODE
            ? BOUND_MILLIS
            : SILENCE_MILLIS;
    try (SipClientSocket socket =
        SipClientSocket.open(transport, new InetSocketAddress("127.0.0.1", port))) {
      socket.send(m.bytes());
      replies = socket.replies(silence, 50, BOUND_MILLIS);
    }
    System.out.printf(
        "TORTURE %s %-28s %-8s %-14s -> %s in %d ms%n",
        transport,
        m.name(),
        m.section(),
        m.expect(),
        replies,
        (System.nanoTime() - start) / 1_000_000);
    SoftAssertions alive = new SoftAssertions();
    alive
        .assertThat(Liveness.probe(transport, port, 3000))
        .as("OPTIONS over %s right after %s", transport, m)
        .contains(200);
    List<Throwable> deaths;
    synchronized (uncaught) {
      deaths = List.copyOf(uncaught);
      uncaught.clear();
    }
    for (Throwable death : deaths) {
      String known = deviations.threadDeath(death);
      if (known != null) {
        knownThreadDeaths.incrementAndGet();
        System.out.println("KNOWN THREAD DEATH after " + m + " over " + transport + ": " + death);
      } else {
        alive.fail("a thread died after %s over %s: %s", m, transport, death);
      }
    }
    alive.assertAll();
    String deviation = deviations.reason(m.name(), transport.name());
    Assumptions.assumeTrue(
        deviation == null, () -> "known deviation, got " + replies + ": " + deviation);
    SoftAssertions rfc = new SoftAssertions();
    for (SipReply r : replies) {
      rfc.assertThat(r.problem())
          .as("the stack's reply to %s must parse:%n%s", m, r.raw())
          .isNull();
    }
    List<Integer> finals = replies.stream().filter(SipReply::isFinal).map(SipReply::code).toList();
    String as = m + " over " + transport + ", expected " + m.expect() + ", got " + replies;
    switch (kind) {
      case ANSWER ->
          rfc.assertThat(finals)
              .as(as)
              .hasSize(1)
              .allMatch(code -> code != 400 || m.expect().codes().contains(400));
      case CODE ->
          rfc.assertThat(finals)
              .as(as)
              .hasSize(1)
              .allMatch(code -> m.expect().codes().contains(code));
      case REJECT ->
          rfc.assertThat(finals)
              .as(as)
              .hasSizeLessThanOrEqualTo(1)
              .allMatch(code -> code == 400 || m.expect().codes().contains(code));
      case LENIENT -> rfc.assertThat(finals).as(as).hasSizeLessThanOrEqualTo(1);
      case RESPONSE -> rfc.assertThat(replies).as(as).isEmpty();
    }
    rfc.assertAll();
  }

  @Test
  @Order(2)
  void afterTheTortureTheStackHoldsNoMoreThreadsThanBefore() {
    // TCP connections end with the client's close or the stack's read timeout, and their
    // threads with them.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(BackendThreads.count())
                    .as("backend threads %s", BackendThreads.names())
                    .isLessThanOrEqualTo(threadsBefore));
    HardeningRun.figure("SipTortureTest", "messages", 2 * TortureCorpus.all().size());
    HardeningRun.figure("SipTortureTest", "knownRiThreadDeaths", knownThreadDeaths.get());
  }
}

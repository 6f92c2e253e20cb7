package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.Capacity;

/**
 * SPEC §7: an OPTIONS to the process is answered from the lines' capacity (200 free, 486 full, 503
 * draining) as on jainsip, so that Kamailio's dispatcher sends calls only where they can be taken;
 * pjsua alone answers 200 whatever the capacity.
 */
class PjsipOptionsTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final AtomicInteger BRANCHES = new AtomicInteger();

  private PjsipBackend backend;
  private DatagramSocket prober;

  @BeforeEach
  void start() throws Exception {
    NativeShimAvailable.assume();
    backend = (PjsipBackend) new PjsipBackendProvider().create(BackendConfig.loopback().build());
    prober = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    prober.setSoTimeout(2000);
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (prober != null) {
      prober.close();
    }
  }

  /** Sends one OPTIONS (a new transaction each time) and returns its response's first line. */
  private String probe() throws Exception {
    int n = BRANCHES.incrementAndGet();
    int port = prober.getLocalPort();
    String request =
        "OPTIONS sip:127.0.0.1:"
            + backend.sipPort()
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:"
            + port
            + ";branch=z9hG4bK-probe-"
            + n
            + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:dispatcher@127.0.0.1:"
            + port
            + ">;tag=probe"
            + n
            + "\r\n"
            + "To: <sip:127.0.0.1:"
            + backend.sipPort()
            + ">\r\n"
            + "Call-ID: probe-"
            + n
            + "@127.0.0.1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";
    byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
    prober.send(
        new DatagramPacket(
            bytes, bytes.length, InetAddress.getLoopbackAddress(), backend.sipPort()));
    byte[] buf = new byte[4096];
    while (true) {
      DatagramPacket answer = new DatagramPacket(buf, buf.length);
      try {
        prober.receive(answer);
      } catch (SocketTimeoutException e) {
        return "no answer";
      }
      String text = new String(buf, 0, answer.getLength(), StandardCharsets.US_ASCII);
      if (text.contains("probe-" + n + "@") && !text.startsWith("SIP/2.0 1")) {
        return text.substring(0, text.indexOf("\r\n"));
      }
    }
  }

  @Test
  void optionsAreAnsweredWithTheCapacityAsItChanges() throws Exception {
    AtomicReference<Capacity> capacity = new AtomicReference<>(Capacity.FREE);
    backend.answerOptionsWith(capacity::get);
    assertThat(probe()).isEqualTo("SIP/2.0 200 OK");

    capacity.set(Capacity.FULL);
    Awaitility.await().atMost(BOUND).until(() -> probe().equals("SIP/2.0 486 Busy Here"));

    capacity.set(Capacity.DRAINING);
    Awaitility.await().atMost(BOUND).until(() -> probe().equals("SIP/2.0 503 Service Unavailable"));

    capacity.set(Capacity.FREE);
    Awaitility.await().atMost(BOUND).until(() -> probe().equals("SIP/2.0 200 OK"));
  }
}

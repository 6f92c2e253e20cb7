package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendObserver;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.FreePorts;

/**
 * Out-of-dialog INVITE, REFER and MESSAGE for a registered account, sent from the registrar's host
 * (127.0.0.1) and from a stranger (127.0.0.2): the registrar's host rings the line, a stranger is
 * refused with 403 by default and never reaches the line; option {@code trusted.sources} lets named
 * addresses (or "*", anyone) in.
 */
class StrangerRequestsTest {
  @ParameterizedTest(name = "{0} from {1}, trusted.sources={2}: {3}")
  @CsvSource({
    "INVITE, 127.0.0.1, '', rings",
    "INVITE, 127.0.0.2, '', 403",
    "INVITE, 127.0.0.2, '127.0.0.2', rings",
    "INVITE, 127.0.0.2, '*', rings",
    "INVITE, 127.0.0.3, '127.0.0.2', 403",
    "INVITE, 127.0.0.3, '127.0.0.2;127.0.0.3', rings",
    "REFER, 127.0.0.2, '', refused",
    "MESSAGE, 127.0.0.2, '', refused",
    "REFER, 127.0.0.1, '', refused",
  })
  void outOfDialogRequestsFromStrangersAreRefusedUnlessTrusted(
      String method, String from, String trusted, String outcome) throws Exception {
    CountDownLatch registered = new CountDownLatch(1);
    List<String> incoming = new CopyOnWriteArrayList<>();
    SipEventListener listener =
        new SipEventListener() {
          @Override
          public void registered(SipAccount account, int expiresSeconds) {
            registered.countDown();
          }

          @Override
          public void incomingCall(SipCall call, IncomingCall info) {
            incoming.add(call.callId());
            call.reject(486, "Busy Here");
          }
        };
    List<String> reported = new CopyOnWriteArrayList<>();
    BackendObserver observer =
        new BackendObserver() {
          @Override
          public void strangerRefused(String method, int statusCode) {
            reported.add(method + " " + statusCode);
          }
        };
    int port = FreePorts.sipPort();
    Map<String, String> options = trusted.isEmpty() ? Map.of() : Map.of("trusted.sources", trusted);
    try (FakeRegistrar registrar = new FakeRegistrar();
        SipBackend backend =
            new JainSipBackendProvider()
                .create(
                    BackendConfig.loopback()
                        .sipPort(port)
                        .options(options)
                        .observer(observer)
                        .build());
        DatagramSocket peer =
            new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
      backend.register(
          new AccountSpec(SipUri.of("bot", "127.0.0.1", registrar.port()), "secret", "bot", null),
          listener);
      assertThat(registered.await(5, TimeUnit.SECONDS)).isTrue();

      String callId = "stranger-" + UUID.randomUUID();
      byte[] request = request(method, from, peer.getLocalPort(), port, callId);
      peer.send(
          new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", port)));
      int code = finalCode(peer, callId);

      switch (outcome) {
        case "rings" -> {
          assertThat(incoming).as("the line was offered the call").hasSize(1);
          assertThat(code).as("the line's 486").isEqualTo(486);
          assertThat(reported).as("strangers refused, for metrics").isEmpty();
        }
        case "403" -> {
          assertThat(code).isEqualTo(403);
          assertThat(incoming).as("calls offered to the line").isEmpty();
          assertThat(reported).as("strangers refused, for metrics").containsExactly("INVITE 403");
        }
        default -> {
          assertThat(code).as("%s refused", method).isBetween(400, 699);
          assertThat(incoming).isEmpty();
        }
      }
    }
  }

  private static byte[] request(
      String method, String fromHost, int fromPort, int port, String callId) {
    String body = method.equals("INVITE") ? Seeds.SDP : method.equals("MESSAGE") ? "hello" : "";
    String type = method.equals("INVITE") ? "application/sdp" : "text/plain";
    return (method
            + " sip:bot@127.0.0.1:"
            + port
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP "
            + fromHost
            + ":"
            + fromPort
            + ";branch=z9hG4bK"
            + callId
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:mallory@"
            + fromHost
            + ">;tag=m1\r\n"
            + "To: <sip:bot@127.0.0.1:"
            + port
            + ">\r\n"
            + "Call-ID: "
            + callId
            + "\r\n"
            + "CSeq: 1 "
            + method
            + "\r\n"
            + "Contact: <sip:mallory@"
            + fromHost
            + ":"
            + fromPort
            + ">\r\n"
            + (method.equals("REFER") ? "Refer-To: <sip:premium@127.0.0.9>\r\n" : "")
            + (body.isEmpty() ? "" : "Content-Type: " + type + "\r\n")
            + "Content-Length: "
            + body.length()
            + "\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The first final response for {@code callId}, or 0 when none came within 5 s. */
  private static int finalCode(DatagramSocket peer, String callId) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    byte[] buf = new byte[65536];
    while (System.nanoTime() < deadline) {
      peer.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        peer.receive(p);
      } catch (SocketTimeoutException e) {
        return 0;
      }
      SipReply reply = SipReply.parse(Arrays.copyOf(buf, p.getLength()));
      if (callId.equals(reply.callId()) && reply.isFinal()) {
        return reply.code();
      }
    }
    return 0;
  }
}

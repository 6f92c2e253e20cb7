package org.sipline.backend.jainsip.hardening;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.sipline.core.spi.Transport;

/** Whether the stack still answers: an OPTIONS of our own, which must get 200 OK quickly. */
final class Liveness {
  private Liveness() {}

  static byte[] options(int serverPort) {
    String id = UUID.randomUUID().toString();
    return ("OPTIONS sip:probe@127.0.0.1:"
            + serverPort
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK"
            + id
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:prober@127.0.0.1>;tag="
            + id.substring(0, 8)
            + "\r\n"
            + "To: <sip:probe@127.0.0.1>\r\n"
            + "Call-ID: liveness-"
            + id
            + "\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Accept: application/sdp\r\n"
            + "Content-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The codes of what an OPTIONS over {@code transport} got within {@code boundMillis}. */
  static List<Integer> probe(Transport transport, int serverPort, int boundMillis)
      throws IOException {
    try (SipClientSocket s =
        SipClientSocket.open(transport, new InetSocketAddress("127.0.0.1", serverPort))) {
      s.send(options(serverPort));
      return s.replies(boundMillis, 50, boundMillis).stream().map(SipReply::code).toList();
    }
  }
}

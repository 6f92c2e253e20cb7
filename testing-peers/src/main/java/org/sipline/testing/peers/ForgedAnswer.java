package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A 200 OK to an INVITE nobody sent — a made-up Call-ID, branch and tags — sent once to a line's
 * SIP port over UDP from the registrar's host (127.0.0.1), its Contact and SDP pointing at a third
 * party on 127.0.0.3. A user agent that answered it would ACK it (to the Contact, or back to the
 * sender) and perhaps hang it up with BYE; one that took it in would start media towards the SDP.
 * What reaches either socket while it listens is returned, each datagram's first line.
 */
public final class ForgedAnswer {
  /** Where the forged Contact and SDP point. */
  public static final String THIRD_PARTY = "127.0.0.3";

  private ForgedAnswer() {}

  /** Sends the forged 200 OK for {@code user} to {@code lineHost:linePort}, then listens. */
  public static List<String> send(String user, String lineHost, int linePort, Duration listen) {
    String callId = "forged-" + UUID.randomUUID();
    try (DatagramSocket forger =
            new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        DatagramSocket third =
            new DatagramSocket(new InetSocketAddress(InetAddress.getByName(THIRD_PARTY), 0))) {
      String sdp =
          "v=0\r\no=forger 1 1 IN IP4 "
              + THIRD_PARTY
              + "\r\ns=-\r\nc=IN IP4 "
              + THIRD_PARTY
              + "\r\nt=0 0\r\nm=audio "
              + third.getLocalPort()
              + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
      String ok =
          "SIP/2.0 200 OK\r\n"
              + "Via: SIP/2.0/UDP "
              + lineHost
              + ":"
              + linePort
              + ";branch=z9hG4bK"
              + callId
              + "\r\n"
              + "From: <sip:"
              + user
              + "@"
              + lineHost
              + ">;tag=forged-from\r\n"
              + "To: <sip:victim@"
              + THIRD_PARTY
              + ">;tag=forged-to\r\n"
              + "Call-ID: "
              + callId
              + "\r\n"
              + "CSeq: 1 INVITE\r\n"
              + "Contact: <sip:victim@"
              + THIRD_PARTY
              + ":"
              + third.getLocalPort()
              + ">\r\n"
              + "Content-Type: application/sdp\r\n"
              + "Content-Length: "
              + sdp.length()
              + "\r\n\r\n"
              + sdp;
      byte[] bytes = ok.getBytes(StandardCharsets.US_ASCII);
      forger.send(
          new DatagramPacket(bytes, bytes.length, new InetSocketAddress(lineHost, linePort)));
      List<String> heard = new ArrayList<>();
      long deadline = System.nanoTime() + listen.toNanos();
      // Both sockets are read in turns of a few milliseconds until the listening time is over.
      while (System.nanoTime() - deadline < 0) {
        receive(forger, "at the forger: ", heard);
        receive(third, "at the third party: ", heard);
      }
      return List.copyOf(heard);
    } catch (IOException e) {
      throw new UncheckedIOException("forged 200 OK to " + lineHost + ":" + linePort, e);
    }
  }

  private static void receive(DatagramSocket socket, String where, List<String> heard)
      throws IOException {
    byte[] buf = new byte[65536];
    socket.setSoTimeout(5);
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return;
    }
    String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    int eol = text.indexOf("\r\n");
    heard.add(where + (eol < 0 ? text : text.substring(0, eol)));
  }
}

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
import java.util.Locale;
import java.util.UUID;
import org.sipline.testing.ConformanceEnvironment.StrangerReply;

/**
 * A host that is neither a line's registrar nor a trusted source, on loopback: 127.0.0.2 (the whole
 * 127.0.0.0/8 reaches {@code lo}). It sends one out-of-dialog request straight to a line's SIP port
 * over UDP, once — never retransmitted, an INVITE's final answer never ACKed — and keeps every
 * response to it that arrives while it listens. A plain socket rather than SIPp, so that what comes
 * back is counted exactly: SIPp retransmits its own request and ACKs, which would hide whether a
 * transaction at the line retransmits its answer.
 */
public final class Stranger {
  /** The stranger's host. */
  public static final String HOST = "127.0.0.2";

  private Stranger() {}

  /**
   * Sends {@code method} (INVITE with an SDP offer, REFER with a Refer-To, MESSAGE with text) for
   * {@code user} to {@code lineHost:linePort} and listens for {@code listen}.
   */
  public static StrangerReply send(
      String method, String user, String lineHost, int linePort, Duration listen) {
    return sendFrom(HOST, method, user, lineHost, linePort, HOST, listen);
  }

  /**
   * As {@link #send}, from {@code fromHost} (which need not be a stranger: the registrar's host is
   * trusted), with an INVITE's SDP naming {@code connection} in its c= lines (an address, or a host
   * name).
   */
  public static StrangerReply sendFrom(
      String fromHost,
      String method,
      String user,
      String lineHost,
      int linePort,
      String connection,
      Duration listen) {
    String callId = "stranger-" + UUID.randomUUID();
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName(fromHost), 0))) {
      byte[] request =
          request(
              fromHost,
              method.toUpperCase(Locale.ROOT),
              user,
              lineHost,
              linePort,
              socket.getLocalPort(),
              connection,
              callId);
      socket.send(
          new DatagramPacket(request, request.length, new InetSocketAddress(lineHost, linePort)));
      List<Integer> codes = new ArrayList<>();
      long deadline = System.nanoTime() + listen.toNanos();
      byte[] buf = new byte[65536];
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          break;
        }
        socket.setSoTimeout((int) Math.max(1, left));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          break;
        }
        String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
        if (text.startsWith("SIP/2.0 ") && text.contains(callId)) {
          codes.add(Integer.parseInt(text.substring(8, 11)));
        }
      }
      return new StrangerReply(List.copyOf(codes));
    } catch (IOException e) {
      throw new UncheckedIOException("stranger " + method + " to " + lineHost + ":" + linePort, e);
    }
  }

  private static byte[] request(
      String from,
      String method,
      String user,
      String host,
      int port,
      int fromPort,
      String connection,
      String callId) {
    String sdp =
        "v=0\r\no=mallory 1 1 IN IP4 "
            + from
            + "\r\ns=-\r\nc=IN IP4 "
            + connection
            + "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    String body = method.equals("INVITE") ? sdp : method.equals("MESSAGE") ? "hello" : "";
    String type = method.equals("INVITE") ? "application/sdp" : "text/plain";
    String target = "sip:" + user + "@" + host + ":" + port;
    return (method
            + " "
            + target
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP "
            + from
            + ":"
            + fromPort
            + ";branch=z9hG4bK"
            + callId
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:mallory@"
            + from
            + ">;tag=m1\r\n"
            + "To: <"
            + target
            + ">\r\n"
            + "Call-ID: "
            + callId
            + "\r\n"
            + "CSeq: 1 "
            + method
            + "\r\n"
            + "Contact: <sip:mallory@"
            + from
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
}

package org.sipline.backend.jainsip.hardening;

import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipline.core.spi.Transport;

/**
 * A throw-away SIP client on 127.0.0.1: one socket (a datagram socket, or one TCP connection) that
 * sends one request and reads what comes back, acknowledging a non-2xx final response to an INVITE
 * as RFC 3261 §17.1.1.3 asks so that the stack stops retransmitting it.
 */
final class SipClientSocket implements AutoCloseable {
  private static final Pattern CONTENT_LENGTH =
      Pattern.compile("(?im)^(?:content-length|l)[ \t]*:[ \t]*(\\d+)");

  private final Transport transport;
  private final InetSocketAddress server;
  private final DatagramSocket udp;
  private final Socket tcp;
  private final ByteArrayOutputStream stream = new ByteArrayOutputStream();
  private byte[] lastRequest;

  private SipClientSocket(Transport transport, InetSocketAddress server) throws IOException {
    this.transport = transport;
    this.server = server;
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    if (transport == Transport.UDP) {
      udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
      tcp = null;
    } else {
      udp = null;
      tcp = new Socket();
      tcp.bind(new InetSocketAddress(loopback, 0));
      tcp.connect(server, 2000);
    }
  }

  static SipClientSocket open(Transport transport, InetSocketAddress server) throws IOException {
    return new SipClientSocket(transport, server);
  }

  int localPort() {
    return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
  }

  /** Sends {@code message} with its top Via pointed at this socket (and a branch of its own). */
  void send(byte[] message) throws IOException {
    byte[] pointed =
        ViaRewrite.pointAt(
            message,
            transport.name(),
            "127.0.0.1",
            localPort(),
            "-" + transport.name().toLowerCase(Locale.ROOT) + localPort());
    if (pointed == null && transport == Transport.UDP) {
      // Over TCP the answer takes the connection; over UDP it would go wherever the stack
      // guesses, which may be another program's port on this host.
      throw new IllegalStateException("no Via to point at this socket; not sent over UDP");
    }
    lastRequest = pointed == null ? message : pointed;
    sendRaw(lastRequest);
  }

  void sendRaw(byte[] bytes) throws IOException {
    if (udp != null) {
      udp.send(new DatagramPacket(bytes, bytes.length, server));
    } else {
      tcp.getOutputStream().write(bytes);
      tcp.getOutputStream().flush();
    }
  }

  /**
   * Responses until a final one has come and then {@code settleMillis} passed quietly, or {@code
   * silenceMillis} passed without any, or the bound; a closed connection ends the wait.
   */
  List<SipReply> replies(int silenceMillis, int settleMillis, int boundMillis) throws IOException {
    List<SipReply> replies = new ArrayList<>();
    long deadline = System.nanoTime() + boundMillis * 1_000_000L;
    boolean sawFinal = false;
    while (System.nanoTime() < deadline) {
      int wait = sawFinal ? settleMillis : replies.isEmpty() ? silenceMillis : boundMillis;
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      byte[] next = receive((int) Math.max(1, Math.min(wait, left)));
      if (next == null) {
        if (sawFinal || replies.isEmpty()) {
          break;
        }
        continue;
      }
      if (next.length == 0) {
        break;
      }
      SipReply reply = SipReply.parse(next);
      replies.add(reply);
      if (reply.isFinal() || !reply.parsed()) {
        sawFinal = true;
        acknowledge(reply);
      }
    }
    return replies;
  }

  /** The next message, null after {@code timeoutMillis} of silence, empty when TCP closed. */
  private byte[] receive(int timeoutMillis) throws IOException {
    if (udp != null) {
      udp.setSoTimeout(timeoutMillis);
      byte[] buf = new byte[65536];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
      } catch (SocketTimeoutException e) {
        return null;
      }
      return Arrays.copyOf(buf, p.getLength());
    }
    tcp.setSoTimeout(timeoutMillis);
    InputStream in = tcp.getInputStream();
    byte[] buf = new byte[8192];
    while (true) {
      byte[] framed = frame();
      if (framed != null) {
        return framed;
      }
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        return null;
      } catch (IOException e) {
        return new byte[0];
      }
      if (n < 0) {
        return new byte[0];
      }
      stream.write(buf, 0, n);
    }
  }

  /** One whole message off the front of the TCP stream, or null when it isn't all there. */
  private byte[] frame() {
    byte[] have = stream.toByteArray();
    String text = new String(have, StandardCharsets.ISO_8859_1);
    // Keep-alive CRLFs between messages (RFC 5626 §3.5.1) carry nothing.
    int start = 0;
    while (text.startsWith("\r\n", start)) {
      start += 2;
    }
    int end = text.indexOf("\r\n\r\n", start);
    if (end < 0) {
      return null;
    }
    Matcher m = CONTENT_LENGTH.matcher(text.substring(start, end));
    int body = m.find() ? Integer.parseInt(m.group(1)) : 0;
    int total = end + 4 + body;
    if (have.length < total) {
      return null;
    }
    byte[] message = Arrays.copyOfRange(have, start, total);
    stream.reset();
    stream.write(have, total, have.length - total);
    return message;
  }

  /** ACK for a non-2xx final response to our INVITE (the 2xx ACK belongs to the dialog). */
  private void acknowledge(SipReply reply) throws IOException {
    if (reply.code() < 300 || lastRequest == null) {
      return;
    }
    SIPRequest invite;
    SIPMessage response;
    try {
      SIPMessage parsed = new StringMsgParser().parseSIPMessage(lastRequest, true, false, null);
      if (!(parsed instanceof SIPRequest r)
          || !r.getMethod().toUpperCase(Locale.ROOT).equals("INVITE")) {
        return;
      }
      invite = r;
      response =
          new StringMsgParser()
              .parseSIPMessage(
                  reply.raw().getBytes(StandardCharsets.ISO_8859_1), true, false, null);
    } catch (ParseException e) {
      // The stack answered something we can't read back as an INVITE: nothing to acknowledge.
      return;
    }
    if (invite.getTopmostVia() == null || response.getTo() == null) {
      // A malformed INVITE (the stack answered 400): no transaction to acknowledge.
      return;
    }
    SIPRequest ack = invite.createAckRequest((To) response.getTo());
    sendRaw(ack.encodeAsBytes(transport.name()));
  }

  @Override
  public void close() throws IOException {
    if (udp != null) {
      udp.close();
    } else {
      tcp.close();
    }
  }
}

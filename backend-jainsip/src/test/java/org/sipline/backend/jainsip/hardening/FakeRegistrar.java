package org.sipline.backend.jainsip.hardening;

import gov.nist.javax.sip.header.Expires;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.header.ContactHeader;

/**
 * A registrar on a UDP socket of 127.0.0.1 that accepts every REGISTER without a challenge (or,
 * when silenced, answers nothing), for tests whose subject is not the registration. It answers at
 * the datagram's source, so it needs no Via processing of its own.
 */
final class FakeRegistrar implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final AtomicInteger registers = new AtomicInteger();
  private volatile boolean silent;

  FakeRegistrar() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    thread = new Thread(this::run, "fake-registrar");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** REGISTERs received so far (answered or not). */
  int registers() {
    return registers.get();
  }

  /** From now on REGISTERs go unanswered (true) or are accepted again (false). */
  void silent(boolean silent) {
    this.silent = silent;
  }

  private void run() {
    byte[] buf = new byte[65536];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        SIPMessage m =
            new StringMsgParser()
                .parseSIPMessage(Arrays.copyOf(buf, p.getLength()), true, false, null);
        if (!(m instanceof SIPRequest request) || !request.getMethod().equals("REGISTER")) {
          continue;
        }
        registers.incrementAndGet();
        if (silent) {
          continue;
        }
        SIPResponse ok = (SIPResponse) new MessageFactoryImpl().createResponse(200, request);
        ContactHeader contact = (ContactHeader) request.getHeader(ContactHeader.NAME);
        if (contact != null) {
          ok.addHeader(contact);
        }
        Expires expires = new Expires();
        expires.setExpires(contact != null && contact.getExpires() == 0 ? 0 : 600);
        ok.setHeader(expires);
        byte[] out = ok.encodeAsBytes("UDP");
        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (SocketException e) {
        return;
      } catch (Exception e) {
        // A test registrar: whatever it can't read, it ignores, as the backend's REGISTER
        // is all it is for.
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(2000);
  }
}

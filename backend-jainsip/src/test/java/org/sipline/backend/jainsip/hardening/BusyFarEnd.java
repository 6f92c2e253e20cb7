package org.sipline.backend.jainsip.hardening;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A far end on a UDP socket of 127.0.0.1 that keeps every datagram it receives, byte for byte, and
 * answers each INVITE 486 Busy Here, so that a line's call attempts end at once and what sipline
 * put on the wire can be read back.
 */
final class BusyFarEnd implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final List<byte[]> received = new CopyOnWriteArrayList<>();

  BusyFarEnd() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    thread = new Thread(this::run, "busy-far-end");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Every datagram so far, oldest first. */
  List<byte[]> received() {
    return List.copyOf(received);
  }

  private void run() {
    byte[] buf = new byte[65536];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        byte[] bytes = Arrays.copyOf(buf, p.getLength());
        received.add(bytes);
        SIPMessage m;
        try {
          m = new StringMsgParser().parseSIPMessage(bytes.clone(), true, false, null);
        } catch (java.text.ParseException e) {
          // Kept for the test to judge; nothing to answer.
          continue;
        }
        if (m instanceof SIPRequest r && r.getMethod().equals("INVITE")) {
          SIPResponse busy = (SIPResponse) new MessageFactoryImpl().createResponse(486, r);
          busy.getTo().setTag("busy-" + received.size());
          byte[] out = busy.encodeAsBytes("UDP");
          socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
        }
      } catch (SocketException e) {
        return;
      } catch (Exception e) {
        throw new IllegalStateException("busy far end failed", e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(2000);
  }
}

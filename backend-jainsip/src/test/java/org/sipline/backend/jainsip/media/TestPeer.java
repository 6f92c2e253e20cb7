package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** The far end of a session in tests: a plain UDP socket on a loopback address. */
final class TestPeer implements AutoCloseable {
  private final DatagramSocket socket;

  /** Binds any free port on {@code host}, e.g. 127.0.0.1, or 127.0.0.2 for a stranger. */
  TestPeer(String host) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
    socket.setSoTimeout(3000);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  void send(byte[] datagram, int sessionPort) throws IOException {
    socket.send(
        new DatagramPacket(
            datagram,
            datagram.length,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), sessionPort)));
  }

  /** The next datagram, or an assertion error after 3 s. */
  byte[] receive() throws IOException {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no datagram within 3 s at " + address(), e);
    }
    return Arrays.copyOf(buf, p.getLength());
  }

  @Override
  public void close() {
    socket.close();
  }
}

package org.sipline.backend.pjsip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.sipline.core.spi.DtmfEvent;

/**
 * A far end's RTP port: a loopback UDP socket that keeps every RTP packet it receives, with its
 * arrival time, for the test to decode (audio and RFC 4733 events alike). Closing it stops its
 * thread.
 */
final class RtpSocket implements AutoCloseable {
  /** One received RTP packet's header fields and payload. */
  record Packet(
      long arrivalNanos,
      int payloadType,
      boolean marker,
      int seq,
      long timestamp,
      long ssrc,
      byte[] payload) {
    boolean isEvent(int eventPt) {
      return payloadType == eventPt;
    }

    char eventDigit() {
      return DtmfEvent.DIGITS.charAt(payload[0] & 0x0f);
    }

    boolean eventEnd() {
      return (payload[1] & 0x80) != 0;
    }

    int eventDuration() {
      return ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
    }
  }

  private final DatagramSocket socket;
  private final Thread reader;
  private final List<Packet> packets = new ArrayList<>();

  RtpSocket() throws SocketException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    reader = new Thread(this::read, "test-rtp-socket");
    reader.setDaemon(true);
    reader.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  synchronized List<Packet> packets() {
    return List.copyOf(packets);
  }

  private void read() {
    byte[] buf = new byte[2048];
    DatagramPacket datagram = new DatagramPacket(buf, buf.length);
    while (!socket.isClosed()) {
      try {
        socket.receive(datagram);
      } catch (IOException e) {
        return; // closed
      }
      long now = System.nanoTime();
      int length = datagram.getLength();
      if (length < 12 || (buf[0] & 0xc0) != 0x80) {
        continue; // not RTP version 2
      }
      ByteBuffer b = ByteBuffer.wrap(buf, 0, length);
      int first = b.get() & 0xff;
      int second = b.get() & 0xff;
      int seq = b.getShort() & 0xffff;
      long ts = b.getInt() & 0xffff_ffffL;
      long ssrc = b.getInt() & 0xffff_ffffL;
      int header = 12 + 4 * (first & 0x0f);
      if (header > length) {
        continue;
      }
      byte[] payload = java.util.Arrays.copyOfRange(buf, header, length);
      synchronized (this) {
        packets.add(new Packet(now, second & 0x7f, (second & 0x80) != 0, seq, ts, ssrc, payload));
      }
    }
  }

  @Override
  public void close() {
    socket.close();
    try {
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

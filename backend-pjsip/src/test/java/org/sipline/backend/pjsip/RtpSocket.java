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

  /** How many RTP packets had come before each marker ({@link #packetsSentSoFar}), in order. */
  private final List<Integer> markers = new ArrayList<>();

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

  /**
   * How many RTP packets were sent to this socket before this call, whenever its reader gets to
   * them: a marker datagram sent now queues behind every packet already sent (loopback delivers a
   * datagram into the receive queue within the sender's send), so the packets read before it are
   * exactly those. Unlike arrival times, this does not depend on the reader being scheduled
   * promptly on a loaded host.
   */
  int packetsSentSoFar() throws IOException, InterruptedException {
    int seen;
    synchronized (this) {
      seen = markers.size();
    }
    try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      sender.send(new DatagramPacket(MARKER, MARKER.length, socket.getLocalSocketAddress()));
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    synchronized (this) {
      while (markers.size() == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the marker datagram was not read within 10 s");
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return markers.get(seen);
    }
  }

  /** Not RTP (version 0), so never taken for a packet. */
  private static final byte[] MARKER = {0, 'm', 'a', 'r', 'k'};

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
      if (length == MARKER.length && buf[0] == 0 && buf[1] == 'm') {
        synchronized (this) {
          markers.add(packets.size());
          notifyAll();
        }
        continue;
      }
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

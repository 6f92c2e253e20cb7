package org.sipline.backend.jainsip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A far end's RTP port that only listens: a UDP socket on 127.0.0.1 whose reader thread keeps every
 * datagram with its arrival time, parsed as RTP. Closing it stops the thread.
 */
final class RtpCapture implements AutoCloseable {
  /** One received RTP packet (fixed header only; we never send CSRCs or extensions). */
  record Packet(
      long arrivalNanos,
      boolean marker,
      int payloadType,
      int sequence,
      long timestamp,
      long ssrc,
      byte[] payload) {

    /** The telephone event's code, E bit and duration, for an event packet. */
    int event() {
      return payload[0] & 0xFF;
    }

    boolean end() {
      return (payload[1] & 0x80) != 0;
    }

    int duration() {
      return ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
    }
  }

  private final DatagramSocket socket;
  private final Thread reader;
  private final List<Packet> packets = new ArrayList<>();

  RtpCapture() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    reader = new Thread(this::read, "rtp-capture-" + socket.getLocalPort());
    reader.setDaemon(true);
    reader.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void read() {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    while (!socket.isClosed()) {
      try {
        socket.receive(p);
      } catch (IOException e) {
        return; // closed
      }
      long now = System.nanoTime();
      if (p.getLength() < 12) {
        continue;
      }
      ByteBuffer b = ByteBuffer.wrap(buf, 0, p.getLength());
      b.get();
      int b1 = b.get() & 0xFF;
      int seq = b.getShort() & 0xFFFF;
      long ts = b.getInt() & 0xFFFF_FFFFL;
      long ssrc = b.getInt() & 0xFFFF_FFFFL;
      byte[] payload = Arrays.copyOfRange(buf, 12, p.getLength());
      synchronized (packets) {
        packets.add(new Packet(now, (b1 & 0x80) != 0, b1 & 0x7F, seq, ts, ssrc, payload));
        packets.notifyAll();
      }
    }
  }

  List<Packet> packets() {
    synchronized (packets) {
      return List.copyOf(packets);
    }
  }

  /** Waits until {@code count} packets came. */
  void awaitPackets(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (packets) {
      while (packets.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "waited " + timeout + " for " + count + " RTP packets, have " + packets.size());
        }
        TimeUnit.NANOSECONDS.timedWait(packets, left);
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

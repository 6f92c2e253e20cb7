package org.sipline.backend.jainsip.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A hostile RTP source: well-formed PCMU packets at a fixed rate from several sockets in turn,
 * aimed at one port. The packets are as loud as G.711 goes and carry sequence numbers just ahead of
 * any real stream, so one that got through would show in the received audio and in the reorder
 * statistics.
 */
final class RtpSprayer implements AutoCloseable {
  private static final int HEADER = 12;
  private static final int PAYLOAD = 160;

  private final List<DatagramChannel> sockets = new ArrayList<>();
  private final InetSocketAddress target;
  private final int packetsPerSecond;
  private volatile boolean stopped;
  private volatile long sent;
  private Thread thread;

  /**
   * @param fromHosts local addresses to send from, one socket each (any free port)
   * @param target the port under attack
   */
  RtpSprayer(List<String> fromHosts, InetSocketAddress target, int packetsPerSecond)
      throws IOException {
    this.target = target;
    this.packetsPerSecond = packetsPerSecond;
    for (String host : fromHosts) {
      DatagramChannel c = DatagramChannel.open();
      c.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      sockets.add(c);
    }
  }

  List<InetSocketAddress> sources() throws IOException {
    List<InetSocketAddress> out = new ArrayList<>();
    for (DatagramChannel c : sockets) {
      out.add((InetSocketAddress) c.getLocalAddress());
    }
    return out;
  }

  /** Starts spraying on a thread of its own; {@link #close} stops it. */
  void start() {
    thread = new Thread(this::run, "rtp-sprayer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Datagrams handed to the kernel so far. */
  long sent() {
    return sent;
  }

  // Single writer (this thread), readers anywhere: volatile is for visibility, ++ cannot race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void run() {
    ByteBuffer packet = ByteBuffer.allocate(HEADER + PAYLOAD);
    long interval = TimeUnit.SECONDS.toNanos(1) / packetsPerSecond;
    long next = System.nanoTime();
    int seq = 0;
    try {
      while (!stopped) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        packet.clear();
        packet
            .put((byte) 0x80)
            .put((byte) 0)
            .putShort((short) (seq + 30000))
            .putInt(seq * PAYLOAD)
            .putInt(0x5eed5eed);
        for (int i = 0; i < PAYLOAD; i++) {
          packet.put((byte) 0x00);
        }
        packet.flip();
        sockets.get(seq % sockets.size()).send(packet, target);
        sent++;
        seq++;
        // Absolute deadlines: a late wake-up is caught up, so the average rate holds.
        next += interval;
      }
    } catch (IOException e) {
      if (!stopped) {
        throw new UncheckedIOException("spraying " + target + " failed", e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    stopped = true;
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (DatagramChannel c : sockets) {
      c.close();
    }
  }
}

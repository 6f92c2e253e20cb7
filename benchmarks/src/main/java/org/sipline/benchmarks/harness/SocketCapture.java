package org.sipline.benchmarks.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback when tshark cannot capture (not installed, no permission): the sinks are read by one
 * thread of this process, and each packet is stamped with the wall clock when read. Those stamps
 * include this process's scheduling, so they overstate jitter; the quick mode uses this only to
 * prove the harness still runs, never for published figures.
 */
public final class SocketCapture implements Capture {
  private static final int RTP_HEADER = 12;

  private final Selector selector;
  private final Thread reader;
  private final List<CapturedPacket> packets = new ArrayList<>();
  private volatile boolean stopping;
  private volatile IOException failure;

  private SocketCapture(Selector selector) {
    this.selector = selector;
    this.reader = new Thread(this::run, "socket-capture");
    this.reader.setDaemon(true);
  }

  public static SocketCapture start(UdpSinks sinks) throws IOException {
    Selector selector = Selector.open();
    for (DatagramChannel c : sinks.channels()) {
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
    }
    SocketCapture capture = new SocketCapture(selector);
    capture.reader.start();
    return capture;
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocate(2048);
    try {
      while (!stopping) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          DatagramChannel c = (DatagramChannel) key.channel();
          int dstPort = ((InetSocketAddress) c.getLocalAddress()).getPort();
          InetSocketAddress from;
          while ((from = (InetSocketAddress) c.receive(buf.clear())) != null) {
            Instant now = Instant.now();
            buf.flip();
            if (buf.remaining() >= RTP_HEADER && (buf.get(0) & 0xC0) == 0x80) {
              packets.add(
                  new CapturedPacket(
                      now.getEpochSecond() * 1_000_000_000L + now.getNano(),
                      from.getPort(),
                      dstPort,
                      buf.getInt(8) & 0xFFFF_FFFFL,
                      buf.getShort(2) & 0xFFFF,
                      buf.getInt(4) & 0xFFFF_FFFFL,
                      buf.get(1) & 0x7F,
                      buf.remaining()));
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      failure = e;
    }
  }

  @Override
  public Result stop() throws IOException {
    close();
    if (failure != null) {
      throw new IOException("reading the sinks failed", failure);
    }
    return new Result(
        List.copyOf(packets),
        0,
        "sink sockets read by the harness (wall clock when" + " read; not kernel timestamps)");
  }

  @Override
  public void close() {
    stopping = true;
    selector.wakeup();
    try {
      reader.join(2000);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The selector held no resources beyond its own file descriptors.
    }
  }
}

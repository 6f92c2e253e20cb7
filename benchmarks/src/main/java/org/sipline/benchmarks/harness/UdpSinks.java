package org.sipline.benchmarks.harness;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The far ends' RTP receivers: UDP sockets on consecutive loopback ports. They exist so that
 * packets have somewhere to go (no ICMP port-unreachable per packet); under a tshark capture nobody
 * reads them and the kernel drops what overflows their buffer, which costs the measured processes
 * nothing.
 */
public final class UdpSinks implements AutoCloseable {
  private static final int LOWEST = 20_000;
  private static final int HIGHEST = 60_000;
  private static final int TRIES = 50;

  private final List<DatagramChannel> channels;
  private final int firstPort;

  private UdpSinks(List<DatagramChannel> channels, int firstPort) {
    this.channels = channels;
    this.firstPort = firstPort;
  }

  /** Binds {@code count} consecutive ports on 127.0.0.1, at a random free place. */
  public static UdpSinks bind(int count) throws IOException {
    if (count < 1 || count > 100) {
      throw new IllegalArgumentException("sink count out of range 1..100: " + count);
    }
    for (int attempt = 0; attempt < TRIES; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST - count);
      List<DatagramChannel> bound = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          DatagramChannel c = DatagramChannel.open();
          bound.add(c);
          c.bind(new InetSocketAddress("127.0.0.1", base + i));
        }
        return new UdpSinks(bound, base);
      } catch (BindException e) {
        for (DatagramChannel c : bound) {
          c.close();
        }
      }
    }
    throw new IOException(
        "no "
            + count
            + " consecutive free UDP ports on 127.0.0.1 in "
            + LOWEST
            + "-"
            + HIGHEST
            + " after "
            + TRIES
            + " tries");
  }

  public int port(int index) {
    return firstPort + index;
  }

  public List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < channels.size(); i++) {
      ports.add(firstPort + i);
    }
    return ports;
  }

  public List<DatagramChannel> channels() {
    return channels;
  }

  @Override
  public void close() {
    for (DatagramChannel c : channels) {
      try {
        c.close();
      } catch (IOException e) {
        // Closing a bound UDP socket has nothing to flush; a failure leaves nothing behind.
      }
    }
  }
}

package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The calls' RTP ports: an even port for RTP and the odd port above it for RTCP (RFC 3550 §11),
 * from a configured range or, for the range 0-0, from the kernel's ephemeral ports. Thread-safe;
 * {@link #allocate} binds both sockets and hands them over, and closing them gives the ports back.
 */
final class RtpPortAllocator {
  /**
   * How many ports the kernel is asked for, at most, to find an even one (RFC 3550 §11). Each odd
   * port also gives a chance at the even port below it, and the odd ones are kept bound while
   * trying so that the kernel does not hand them out again; the chance that all fail is far below
   * anything a process will meet (16 tries still failed once in a 1000-call run).
   */
  static final int EPHEMERAL_TRIES = 64;

  private final InetAddress bindAddress;
  private final int portMin;
  private final int portMax;
  private final AtomicInteger nextPort;

  /**
   * @param portMin lowest RTP port; 0 together with {@code portMax} 0 means any free port
   * @param portMax highest RTP port; only even ports of the range are used
   * @param random where in the range the search starts
   * @throws IllegalArgumentException for a range without even ports or out of 1..65535
   */
  RtpPortAllocator(InetAddress bindAddress, int portMin, int portMax, RandomGenerator random) {
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    checkRange(portMin, portMax);
    this.portMin = portMin;
    this.portMax = portMax;
    // Start the search at a random port so that a restarted process does not at once reuse the
    // ports whose peers may still be sending to them.
    this.nextPort = new AtomicInteger(portMin == 0 ? 0 : random.nextInt(evenPorts()));
  }

  /** A call's RTP socket on an even port and its RTCP socket on the odd port above. */
  record PortPair(DatagramChannel rtp, DatagramChannel rtcp) {}

  /** Binds a UDP channel to a port; 0 lets the kernel pick a free one. */
  interface PortBinder {
    DatagramChannel bind(int port) throws IOException;
  }

  /**
   * Binds a free even port and the odd one above it, both non-blocking.
   *
   * @throws IOException when every even port of the range is taken (naming the range)
   */
  PortPair allocate() throws IOException {
    return portMin == 0
        ? bindPairEphemeral(this::bindChannel, EPHEMERAL_TRIES, bindAddress.getHostAddress())
        : bindInRange();
  }

  /** "any" or "MIN-MAX", for the log. */
  String describe() {
    return portMin == 0 ? "any" : portMin + "-" + portMax;
  }

  private static void checkRange(int min, int max) {
    if (min == 0 && max == 0) {
      return;
    }
    if (min < 1 || max > 65535 || min > max) {
      throw new IllegalArgumentException(
          "RTP port range invalid: "
              + min
              + "-"
              + max
              + " (want 1 <= min <= max <= 65535, or 0-0 for any port)");
    }
    if (min == max && min % 2 != 0) {
      throw new IllegalArgumentException(
          "RTP port range " + min + "-" + max + " holds no even port");
    }
  }

  private int evenPorts() {
    int firstEven = portMin + (portMin & 1);
    return (portMax - firstEven) / 2 + 1;
  }

  /**
   * A socket of the bind address's family: an IPv4 bind address gets an IPv4 socket, so that
   * sources compare equal to the SDP's IPv4 address instead of arriving as IPv6.
   */
  private DatagramChannel openChannel() throws IOException {
    return DatagramChannel.open(
        bindAddress instanceof Inet6Address
            ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET);
  }

  private PortPair bindInRange() throws IOException {
    int firstEven = portMin + (portMin & 1);
    int count = evenPorts();
    int start = Math.floorMod(nextPort.getAndIncrement(), count);
    for (int i = 0; i < count; i++) {
      int port = firstEven + 2 * ((start + i) % count);
      DatagramChannel rtp = bindFreeNonBlocking(port);
      if (rtp == null) {
        continue;
      }
      // RTCP may take the odd port just above the range's top: the range names RTP ports.
      DatagramChannel rtcp = port < 65535 ? bindFreeNonBlocking(port + 1) : null;
      if (rtcp == null) {
        rtp.close();
        continue;
      }
      nextPort.set(start + i + 1);
      return new PortPair(rtp, rtcp);
    }
    throw new IOException(
        "no free even RTP port (with its RTCP port above) in "
            + portMin
            + "-"
            + portMax
            + " on "
            + bindAddress.getHostAddress());
  }

  /** A non-blocking channel on {@code port}, or null when the port is taken. */
  private DatagramChannel bindFreeNonBlocking(int port) throws IOException {
    DatagramChannel channel = openChannel();
    try {
      channel.bind(new InetSocketAddress(bindAddress, port));
      channel.configureBlocking(false);
      return channel;
    } catch (BindException e) {
      channel.close();
      return null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** A channel bound to {@code port} on the bind address (0: one the kernel picks). */
  private DatagramChannel bindChannel(int port) throws IOException {
    DatagramChannel channel = openChannel();
    try {
      channel.bind(new InetSocketAddress(bindAddress, port));
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * An even port the kernel picked ({@link #bindEvenEphemeral}) with the odd port above it free for
   * RTCP; an even port whose neighbour is taken stays bound while the next is tried, so that the
   * kernel does not offer it again.
   *
   * @throws IOException naming the tries when no such pair was found
   */
  static PortPair bindPairEphemeral(PortBinder binder, int tries, String address)
      throws IOException {
    List<DatagramChannel> held = new ArrayList<>();
    try {
      for (int i = 0; i < tries; i++) {
        DatagramChannel rtp = bindEvenEphemeral(binder, tries, address);
        held.add(rtp);
        int port = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
        DatagramChannel rtcp = port < 65535 ? bindIfFree(binder, port + 1, held) : null;
        if (rtcp != null) {
          rtcp.configureBlocking(false);
          held.remove(rtp);
          held.remove(rtcp);
          return new PortPair(rtp, rtcp);
        }
      }
      throw new IOException(
          "no even ephemeral UDP port with a free odd port above it on "
              + address
              + " after "
              + tries
              + " tries");
    } finally {
      for (DatagramChannel c : held) {
        c.close();
      }
    }
  }

  /**
   * A non-blocking channel on an even port the kernel picked: asks for any port up to {@code tries}
   * times; an odd answer p is kept bound (so that the kernel does not offer it again) and the even
   * p − 1 is tried at once.
   *
   * @throws IOException naming the tries when no even port was found
   */
  static DatagramChannel bindEvenEphemeral(PortBinder binder, int tries, String address)
      throws IOException {
    // The list holds every channel not (yet) returned, so that all of them are closed however
    // this ends.
    List<DatagramChannel> held = new ArrayList<>();
    try {
      for (int i = 0; i < tries; i++) {
        DatagramChannel any = binder.bind(0);
        held.add(any);
        int port = ((InetSocketAddress) any.getLocalAddress()).getPort();
        DatagramChannel even = port % 2 == 0 ? any : bindIfFree(binder, port - 1, held);
        if (even != null) {
          even.configureBlocking(false);
          held.remove(even);
          return even;
        }
      }
      throw new IOException(
          "no even ephemeral UDP port on "
              + address
              + " after "
              + tries
              + " tries (each odd port's even neighbour taken as well)");
    } finally {
      for (DatagramChannel c : held) {
        c.close();
      }
    }
  }

  /** {@code port} bound, added to {@code held}; null when it is taken. */
  private static DatagramChannel bindIfFree(PortBinder binder, int port, List<DatagramChannel> held)
      throws IOException {
    if (port < 1) {
      return null;
    }
    try {
      DatagramChannel c = binder.bind(port);
      held.add(c);
      return c;
    } catch (BindException e) {
      return null;
    }
  }
}

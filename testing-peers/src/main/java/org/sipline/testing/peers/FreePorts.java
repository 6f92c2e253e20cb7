package org.sipline.testing.peers;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports on 127.0.0.1 that are free right now, for peers and for the code under test.
 *
 * <p>A port is free when this JVM can bind it and then release it at once. That leaves a window in
 * which another program could take it, so the choice narrows it:
 *
 * <ul>
 *   <li>Ports come from {@value #FIRST}–{@value #LAST}, below Linux's ephemeral range
 *       (32768–60999), so the kernel does not hand them to other programs' outgoing sockets.
 *   <li>Each JVM starts its walk through the range at an offset derived from its PID, so builds
 *       running side by side on the machine walk different parts of it.
 *   <li>A port handed out once is never handed out again by this JVM, even after the peer using it
 *       has stopped: a test's SIP stack may still be closing its socket.
 *   <li>5060 and 5070 are outside the range: other programs on this host use them.
 * </ul>
 */
public final class FreePorts {
  static final int FIRST = 20000;
  static final int LAST = 32767;
  private static final int SIZE = LAST - FIRST + 1;
  private static final InetAddress LOOPBACK = loopback();

  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  private static int cursor = (int) (ProcessHandle.current().pid() * 7919 % SIZE);

  private FreePorts() {}

  /** 127.0.0.1 itself: the JDK's loopback may be ::1 where IPv6 is preferred. */
  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }

  /** A port free for both UDP and TCP, as a SIP listener needs. */
  public static synchronized int sipPort() {
    return take(1, 1, true, true);
  }

  /**
   * The first of {@code count} consecutive ports all free for UDP and TCP; baresip, for one,
   * listens for TLS on its SIP port + 1.
   */
  public static synchronized int sipPorts(int count) {
    if (count < 1 || count > 64) {
      throw new IllegalArgumentException("count must be 1-64: " + count);
    }
    return take(count, 1, true, true);
  }

  /** A port free for UDP. */
  public static synchronized int udpPort() {
    return take(1, 1, true, false);
  }

  /** A port free for TCP. */
  public static synchronized int tcpPort() {
    return take(1, 1, false, true);
  }

  /** An even UDP port whose successor is free too: RTP on the port, RTCP on the next. */
  public static synchronized int rtpPort() {
    return take(2, 2, true, false);
  }

  /**
   * The first of {@code count} consecutive free UDP ports, starting at an even port (SIPp binds its
   * audio and video RTP sockets on its media port and the one two above).
   */
  public static synchronized int udpPortBlock(int count) {
    if (count < 1 || count > 64) {
      throw new IllegalArgumentException("count must be 1-64: " + count);
    }
    return take(count, 2, true, false);
  }

  /**
   * The first port at or after the cursor that is aligned to {@code alignment} and whose {@code
   * count} consecutive ports are all unused by this JVM and bindable.
   */
  private static int take(int count, int alignment, boolean udp, boolean tcp) {
    for (int tried = 0; tried < SIZE; tried++) {
      int port = FIRST + cursor;
      cursor = (cursor + 1) % SIZE;
      if (port % alignment != 0 || port + count - 1 > LAST) {
        continue;
      }
      if (allFree(port, count, udp, tcp)) {
        for (int p = port; p < port + count; p++) {
          HANDED_OUT.add(p);
        }
        return port;
      }
    }
    throw new PeerException(
        "no free port left in "
            + FIRST
            + "-"
            + LAST
            + " for "
            + count
            + " consecutive "
            + (udp ? "UDP " : "")
            + (tcp ? "TCP " : "")
            + "port(s); "
            + HANDED_OUT.size()
            + " already handed out by this JVM");
  }

  private static boolean allFree(int first, int count, boolean udp, boolean tcp) {
    for (int port = first; port < first + count; port++) {
      if (HANDED_OUT.contains(port)) {
        return false;
      }
      if ((udp && !udpFree(port)) || (tcp && !tcpFree(port))) {
        return false;
      }
    }
    return true;
  }

  /** True when nothing on this host holds UDP {@code port} on 127.0.0.1 (or on all addresses). */
  static boolean udpFree(int port) {
    try (DatagramSocket socket = new DatagramSocket(null)) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(LOOPBACK, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when nothing on this host holds TCP {@code port} on 127.0.0.1 (or on all addresses). */
  static boolean tcpFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

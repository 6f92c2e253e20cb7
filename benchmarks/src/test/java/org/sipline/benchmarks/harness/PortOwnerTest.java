package org.sipline.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ports picked free and bound later by another program: who holds them, and SIPp started again on
 * another port when its own was taken in between (a WatchStatus run failed "Address already in use"
 * that way, BENCHMARKS.md §11).
 */
class PortOwnerTest {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void aUdpPortIsHeldByTheProcessThatBoundItOnly() throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      int port = s.getLocalPort();

      assertThat(PortOwner.holdsUdp(SELF, port)).isTrue();
      assertThat(PortOwner.holdsUdp(ProcessHandle.current().parent().orElseThrow().pid(), port))
          .isFalse();
      assertThat(PortOwner.listensTcp(SELF, port)).isFalse();
    }
  }

  @Test
  void aTcpPortCountsOnceItListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();

      assertThat(PortOwner.listensTcp(SELF, port)).isTrue();
      assertThat(PortOwner.holdsUdp(SELF, port)).isFalse();
    }
    assertThat(PortOwner.listensTcp(SELF, port)).isFalse();
  }

  @Test
  void aGoneProcessHoldsNothing() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      assertThat(PortOwner.holdsUdp(p.pid(), s.getLocalPort())).isFalse();
    }
  }

  @Test
  void sippOnATakenPortIsToldApartFromSippThatBoundIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("registrar.xml");
    Files.writeString(file, SippPeer.scenario("registrar.xml"), StandardCharsets.ISO_8859_1);
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      int port = taken.getLocalPort();

      // Bound by us, not by SIPp: "someone holds it" would have let this through as started.
      assertThat(SippPeer.startOn(dir, "registrar", file, port, true)).isNull();
      assertThatThrownBy(() -> SippPeer.startOn(dir, "registrar", file, port, false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited before binding UDP port " + port)
          .hasMessageContaining(PortOwner.IN_USE);
    }
    try (SippPeer sipp = SippPeer.registrar(dir)) {
      assertThat(PortOwner.holdsUdp(sipp.pid(), sipp.port())).isTrue();
      assertThat(PortOwner.holdsUdp(SELF, sipp.port())).isFalse();
    }
  }
}

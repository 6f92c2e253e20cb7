package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  private static final InetAddress LOCALHOST = address();

  @Test
  void sipPortIsBindableForUdpAndTcp() throws Exception {
    int port = FreePorts.sipPort();

    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOCALHOST, port));
        ServerSocket tcp = new ServerSocket(port, 1, LOCALHOST)) {
      assertThat(udp.getLocalPort()).isEqualTo(port);
      assertThat(tcp.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void portsAreNeverHandedOutTwiceAndStayInTheRange() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      assertThat(seen.add(FreePorts.sipPort())).isTrue();
      assertThat(seen.add(FreePorts.udpPort())).isTrue();
      int rtp = FreePorts.rtpPort();
      assertThat(seen.add(rtp)).isTrue();
      assertThat(seen.add(rtp + 1)).isTrue();
    }
    assertThat(seen)
        .allMatch(p -> p >= FreePorts.FIRST && p <= FreePorts.LAST)
        .doesNotContain(5060, 5070);
  }

  @Test
  void rtpPortIsEvenWithItsRtcpPortFree() {
    int rtp = FreePorts.rtpPort();

    assertThat(rtp % 2).isZero();
    assertThat(FreePorts.udpFree(rtp)).isTrue();
    assertThat(FreePorts.udpFree(rtp + 1)).isTrue();
  }

  @Test
  void aPortHeldByAnotherSocketIsNotFree() throws Exception {
    try (DatagramSocket held = new DatagramSocket(new InetSocketAddress(LOCALHOST, 0))) {
      assertThat(FreePorts.udpFree(held.getLocalPort())).isFalse();
    }
  }

  private static InetAddress address() {
    try {
      return InetAddress.getByName("127.0.0.1");
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}

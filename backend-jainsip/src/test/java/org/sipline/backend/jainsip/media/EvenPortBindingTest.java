package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Even RTP ports without a configured range: the kernel picks, the engine insists on even ones (RFC
 * 3550 §11). A binder that lets the real kernel pick but hands out only its odd answers stands in
 * for the unlucky runs that used to end the search after 16 tries.
 */
class EvenPortBindingTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final List<DatagramChannel> opened = new ArrayList<>();
  private MediaEngine engine;

  @AfterEach
  void close() throws IOException {
    if (engine != null) {
      engine.close();
    }
    for (DatagramChannel c : opened) {
      c.close();
    }
  }

  /** Real sockets on 127.0.0.1; for port 0 only an odd port the kernel picked is returned. */
  private final class OddKernel implements RtpPortAllocator.PortBinder {
    final List<Integer> oddAnswers = new ArrayList<>();
    boolean neighboursTaken;

    @Override
    public DatagramChannel bind(int port) throws IOException {
      if (port != 0 && neighboursTaken) {
        throw new BindException("Address already in use: " + port);
      }
      while (true) {
        DatagramChannel c = DatagramChannel.open();
        opened.add(c);
        c.bind(new InetSocketAddress(LOOPBACK, port));
        int got = ((InetSocketAddress) c.getLocalAddress()).getPort();
        if (port != 0 || got % 2 == 1) {
          if (port == 0) {
            oddAnswers.add(got);
          }
          return c;
        }
        c.close();
      }
    }
  }

  @Test
  void anOddPortFromTheKernelLeadsToTheEvenPortBelowIt() throws IOException {
    OddKernel kernel = new OddKernel();

    DatagramChannel channel = RtpPortAllocator.bindEvenEphemeral(kernel, 4, "127.0.0.1");

    int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    assertThat(port % 2).as("port %d", port).isZero();
    assertThat(kernel.oddAnswers).contains(port + 1);
    assertThat(channel.isBlocking()).isFalse();
    // Every odd port held while searching is given back; only the result stays bound.
    assertThat(opened.stream().filter(DatagramChannel::isOpen)).containsExactly(channel);
  }

  @Test
  void whenEveryNeighbourIsTakenTheSearchEndsAfterItsTriesNamingThem() {
    OddKernel kernel = new OddKernel();
    kernel.neighboursTaken = true;

    assertThatThrownBy(() -> RtpPortAllocator.bindEvenEphemeral(kernel, 5, "127.0.0.1"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("no even ephemeral UDP port on 127.0.0.1 after 5 tries");
    assertThat(kernel.oddAnswers).hasSize(5);
    assertThat(opened).noneMatch(DatagramChannel::isOpen);
  }

  @Test
  void fifteenHundredSessionsWithoutARangeAllGetDistinctEvenPorts() throws IOException {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(LOOPBACK)
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(11)));
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 1500; i++) {
      int port = engine.allocate().localPort();
      assertThat(port % 2).as("port %d of session %d", port, i).isZero();
      ports.add(port);
    }
    assertThat(ports).hasSize(1500);
  }
}

package org.sipline.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.peers.FreePorts;
import org.sipline.testing.peers.KamailioDispatcher;

/**
 * {@code deploy/kamailio/kamailio.cfg}, run as it is, in front of three sipline processes: the
 * dispatcher's OPTIONS probes keep live nodes in rotation, take a killed one out within the 3 s the
 * deployment promises (probes every second, out after two missed), and bring it back when it
 * returns on its address.
 */
class DispatcherRotationIT {
  private static final Path CONFIG = Path.of("..", "deploy", "kamailio", "kamailio.cfg");
  private static final Duration OUT_OF_ROTATION_WITHIN = Duration.ofSeconds(3);

  @TempDir Path dir;

  private final List<SiplineProcess> nodes = new ArrayList<>();
  private KamailioDispatcher dispatcher;

  @AfterEach
  void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    nodes.forEach(SiplineProcess::close);
  }

  @Test
  void aKilledNodeLeavesRotationWithinThreeSecondsAndComesBackWhenItReturns() throws Exception {
    assertThat(CONFIG).isRegularFile();
    List<Integer> ports = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = FreePorts.sipPort();
      ports.add(port);
      uris.add("sip:127.0.0.1:" + port);
      nodes.add(node(port));
    }
    dispatcher = KamailioDispatcher.start(CONFIG, uris, 10);
    for (String uri : uris) {
      dispatcher.awaitNode(uri, flags -> flags.startsWith("A"), Duration.ofSeconds(10));
    }

    long killed = System.nanoTime();
    nodes.get(1).kill9();
    dispatcher.awaitNode(uris.get(1), flags -> flags.startsWith("I"), Duration.ofSeconds(10));
    Duration out = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(out)
        .as("killed node out of rotation after")
        .isLessThanOrEqualTo(OUT_OF_ROTATION_WITHIN);
    // The others stayed in.
    assertThat(dispatcher.inRotation(uris.get(0))).isTrue();
    assertThat(dispatcher.inRotation(uris.get(2))).isTrue();

    nodes.set(1, node(ports.get(1)));
    dispatcher.awaitNode(uris.get(1), flags -> flags.startsWith("A"), Duration.ofSeconds(10));
  }

  private SiplineProcess node(int sipPort) throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve("node-" + sipPort));
    return SiplineProcess.start(nodeDir, sipPort, "--backend", "jainsip");
  }
}

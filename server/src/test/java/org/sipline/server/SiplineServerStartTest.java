package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Start-up failures that are configuration mistakes are reported naming the flag. */
class SiplineServerStartTest {

  @Test
  void aTakenGrpcPortNamesTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> RunningServer.start(b -> b.grpcPort(port)))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("--grpc-port: 127.0.0.1:" + port + " cannot be bound");
    }
  }

  @Test
  void anUnknownBackendNamesTheFlagAndTheKnownOnes() {
    ServerConfig config =
        ServerConfig.builder()
            .grpcAddress("127.0.0.1")
            .grpcPort(0)
            .sipAddress("127.0.0.1")
            .sipPort(0)
            .backend("nosuch")
            .build();
    assertThatThrownBy(() -> SiplineServer.start(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("--backend: no SIP backend 'nosuch'")
        .hasMessageContaining("fake");
  }
}

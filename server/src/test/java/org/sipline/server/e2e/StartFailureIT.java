package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration that cannot work stops the start with exit code 2 and names the flag. */
class StartFailureIT {
  @TempDir Path dir;

  @Test
  void aBadValueExitsTwoNamingTheFlag() throws Exception {
    Cli.Result result = Cli.run(dir, "--rtp-ports", "10001-20000");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--rtp-ports: 10001-20000 starts at an odd port");
  }

  @Test
  void anUnknownBackendExitsTwoListingTheKnownOnes() throws Exception {
    Cli.Result result =
        Cli.run(
            dir,
            "--backend",
            "nosuch",
            "--grpc-port",
            "0",
            "--sip-address",
            "127.0.0.1",
            "--sip-port",
            "0");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--backend: no SIP backend 'nosuch'", "jainsip");
  }

  @Test
  void aGrpcPortInUseExitsTwoNamingTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Cli.Result result =
          Cli.run(
              dir,
              "--grpc-address",
              "127.0.0.1",
              "--grpc-port",
              String.valueOf(taken.getLocalPort()),
              "--sip-address",
              "127.0.0.1",
              "--sip-port",
              "0");
      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.err()).contains("--grpc-port: 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void aBackendOptionTheBackendRefusesExitsTwoNamingTheFlag() throws Exception {
    Cli.Result result =
        Cli.run(
            dir,
            "--backend",
            "jainsip",
            "--backend-option",
            "nosuch=1",
            "--grpc-port",
            "0",
            "--sip-address",
            "127.0.0.1",
            "--sip-port",
            "0");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            "--backend-option: jainsip refused: unknown jainsip option 'nosuch'; valid: ",
            "register.expires (an integer 1..86400)",
            "trusted.sources (IP addresses (or *))");
  }

  @Test
  void aMalformedBackendOptionExitsTwoNamingIt() throws Exception {
    Cli.Result result =
        Cli.run(
            dir,
            "--backend",
            "jainsip",
            "--backend-option",
            "register.expires=soon",
            "--grpc-port",
            "0",
            "--sip-address",
            "127.0.0.1",
            "--sip-port",
            "0");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            "--backend-option: jainsip refused: jainsip option 'register.expires': 'soon' is not"
                + " an integer; want an integer 1..86400");
  }
}

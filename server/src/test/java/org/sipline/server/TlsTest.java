package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipStatus.StatusType;

/** gRPC over TLS with a self-signed certificate, and mutual TLS with a client CA. */
class TlsTest {
  @TempDir static Path dir;

  private static SelfSignedCertificate server;
  private static SelfSignedCertificate client;
  private RunningServer running;

  @BeforeAll
  static void certificates() throws Exception {
    server = SelfSignedCertificate.create(dir, "server");
    client = SelfSignedCertificate.create(dir, "client");
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private StatusType statusOver(ChannelCredentials credentials) throws Exception {
    ManagedChannel channel = Grpc.newChannelBuilder(running.target(), credentials).build();
    try {
      return SipGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .sipGetSipStatus(Empty.getDefaultInstance())
          .getStatusType();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ChannelCredentials trusting(SelfSignedCertificate ca) throws Exception {
    return TlsChannelCredentials.newBuilder().trustManager(ca.cert().toFile()).build();
  }

  @Test
  void aClientTrustingTheCertificateIsServed() throws Exception {
    running = RunningServer.start(b -> b.tls(server.cert(), server.key()));
    assertThat(statusOver(trusting(server))).isEqualTo(StatusType.NO_SESSION);
  }

  @Test
  void aPlaintextClientIsNotServed() throws Exception {
    running = RunningServer.start(b -> b.tls(server.cert(), server.key()));
    assertThatThrownBy(() -> statusOver(InsecureChannelCredentials.create()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void withAClientCaOnlyClientsWithACertificateFromItAreServed() throws Exception {
    running =
        RunningServer.start(b -> b.tls(server.cert(), server.key()).tlsClientCa(client.cert()));
    assertThatThrownBy(() -> statusOver(trusting(server)))
        .isInstanceOf(StatusRuntimeException.class);
    ChannelCredentials withCertificate =
        TlsChannelCredentials.newBuilder()
            .trustManager(server.cert().toFile())
            .keyManager(client.cert().toFile(), client.key().toFile())
            .build();
    assertThat(statusOver(withCertificate)).isEqualTo(StatusType.NO_SESSION);
  }

  @Test
  void anUnusableKeyStopsTheStartNamingTheFlag() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.key"), "not a key\n");
    assertThatThrownBy(() -> RunningServer.start(b -> b.tls(server.cert(), garbage)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("--tls-key: certificate " + server.cert());
  }

  @Test
  void aClientCaFileWithoutCertificatesStopsTheStartNamingTheFlag() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty-ca.pem"), "# nothing\n");
    assertThatThrownBy(
            () -> RunningServer.start(b -> b.tls(server.cert(), server.key()).tlsClientCa(empty)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("--tls-client-ca: " + empty + " holds no usable PEM certificate");
  }
}

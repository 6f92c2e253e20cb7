package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.spi.Transport;

class ServerConfigTest {

  @TempDir Path dir;

  @Test
  void defaultsAreTheDocumentedOnes() {
    ServerConfig c = ServerConfig.builder().build();
    assertThat(c.grpcAddress()).isEqualTo("0.0.0.0");
    assertThat(c.grpcPort()).isEqualTo(50099);
    assertThat(c.reflection()).isTrue();
    assertThat(c.tls()).isFalse();
    assertThat(c.tokenFile()).isNull();
    assertThat(c.maxWavBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(c.sipPort()).isEqualTo(5060);
    assertThat(c.sipTransport()).isEqualTo(Transport.UDP);
    assertThat(c.rtpPortMin()).isZero();
    assertThat(c.rtpPortMax()).isZero();
    assertThat(c.backend()).isNull();
    assertThat(c.registerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.mediaTimeout()).isEqualTo(Duration.ZERO);
    assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
    assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void portOutOfRangeIsRefusedNamingTheFlag() {
    assertThatThrownBy(() -> ServerConfig.builder().grpcPort(70000).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("--grpc-port: 70000 is outside 0..65535");
    assertThatThrownBy(() -> ServerConfig.builder().sipPort(-1).build())
        .hasMessage("--sip-port: -1 is outside 0..65535");
  }

  @Test
  void tlsCertificateWithoutKeyIsRefused() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    assertThatThrownBy(() -> ServerConfig.builder().tls(cert, null).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("--tls-key: ");
  }

  @Test
  void clientCaWithoutServerCertificateIsRefused() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    assertThatThrownBy(() -> ServerConfig.builder().tlsClientCa(ca).build())
        .hasMessage("--tls-client-ca: needs --tls-cert and --tls-key");
  }

  @Test
  void missingFilesAreRefusedNamingFlagAndPath() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> ServerConfig.builder().tokenFile(missing).build())
        .hasMessage("--token-file: " + missing + " is not a readable file");
    assertThatThrownBy(() -> ServerConfig.builder().tls(missing, missing).build())
        .hasMessage("--tls-cert: " + missing + " is not a readable file");
  }

  @Test
  void wavBudgetMustBePositiveAndFitAGrpcMessage() {
    assertThatThrownBy(() -> ServerConfig.builder().maxWavBytes(0).build())
        .hasMessageStartingWith("--max-wav-bytes: 0 is outside 1..");
    assertThatThrownBy(() -> ServerConfig.builder().maxWavBytes(Integer.MAX_VALUE).build())
        .hasMessageStartingWith("--max-wav-bytes: " + Integer.MAX_VALUE + " is outside 1..");
  }

  @Test
  void rtpRangeMustStartEvenAndHoldAPair() {
    assertThat(ServerConfig.builder().rtpPorts(10000, 10001).build().rtpPortMax()).isEqualTo(10001);
    assertThatThrownBy(() -> ServerConfig.builder().rtpPorts(10001, 20000).build())
        .hasMessageContaining("--rtp-ports: 10001-20000 starts at an odd port");
    assertThatThrownBy(() -> ServerConfig.builder().rtpPorts(10000, 10000).build())
        .hasMessage("--rtp-ports: 10000-10000 holds no RTP/RTCP port pair");
    assertThatThrownBy(() -> ServerConfig.builder().rtpPorts(80, 100).build())
        .hasMessage("--rtp-ports: 80-100 is outside 1024-65535");
  }

  @Test
  void timeoutsMustBePositiveExceptTheMediaTimeout() {
    assertThatThrownBy(() -> ServerConfig.builder().registerTimeout(Duration.ZERO).build())
        .hasMessage("--register-timeout: PT0S is not positive");
    assertThatThrownBy(() -> ServerConfig.builder().hangupTimeout(Duration.ofSeconds(-1)).build())
        .hasMessage("--hangup-timeout: PT-1S is not positive");
    assertThat(ServerConfig.builder().mediaTimeout(Duration.ZERO).build().mediaTimeout()).isZero();
    assertThatThrownBy(() -> ServerConfig.builder().mediaTimeout(Duration.ofSeconds(-1)).build())
        .hasMessageStartingWith("--media-timeout: ");
  }

  @Test
  void sessionExpiresIsZeroOrAtLeastRfc4028sMinimum() {
    assertThat(ServerConfig.builder().build().sessionExpires()).isEqualTo(Duration.ofMinutes(30));
    assertThat(ServerConfig.builder().sessionExpires(Duration.ZERO).build().sessionExpires())
        .isZero();
    assertThat(
            ServerConfig.builder().sessionExpires(Duration.ofSeconds(90)).build().sessionExpires())
        .isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> ServerConfig.builder().sessionExpires(Duration.ofSeconds(89)).build())
        .hasMessage(
            "--session-expires: PT1M29S is neither 0 nor whole seconds of at least 90s"
                + " (RFC 4028's least Min-SE)");
    assertThatThrownBy(
            () -> ServerConfig.builder().sessionExpires(Duration.ofMillis(90_500)).build())
        .hasMessageStartingWith("--session-expires: PT1M30.5S is neither");
    assertThatThrownBy(() -> ServerConfig.builder().sessionExpires(Duration.ofSeconds(-1)).build())
        .hasMessageStartingWith("--session-expires: PT-1S is neither");
  }

  @Test
  void journalMustNotBeADirectoryAndRecordingsDirMustNotBeAFile() throws Exception {
    assertThatThrownBy(() -> ServerConfig.builder().journal(dir).build())
        .hasMessage("--journal: " + dir + " is a directory, not a file");
    Path file = Files.writeString(dir.resolve("f"), "");
    assertThatThrownBy(() -> ServerConfig.builder().recordingsDir(file).build())
        .hasMessage("--recordings-dir: " + file + " is not a directory");
  }

  @Test
  void historyLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> ServerConfig.builder().historyLimit(0).build())
        .hasMessage("--history-limit: 0 < 1");
  }

  @Test
  void blankOptionalTextsMeanUnset() {
    ServerConfig c = ServerConfig.builder().backend(" ").advertisedAddress("").build();
    assertThat(c.backend()).isNull();
    assertThat(c.advertisedAddress()).isNull();
  }
}

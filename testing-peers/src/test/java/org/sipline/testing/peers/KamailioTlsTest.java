package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the TLS Kamailio fixture and the test certificates with the JDK's own TLS client, the
 * strict reference: the good certificate is accepted for 127.0.0.1 and localhost, and requests over
 * it reach the registrar; each bad one fails the handshake for its own reason.
 */
class KamailioTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestCertificates certificates;

  @BeforeAll
  static void makeCertificates() {
    certificates = TestCertificates.create();
  }

  @AfterAll
  static void removeCertificates() {
    if (certificates != null) {
      certificates.close();
    }
  }

  @Test
  void certificatesCarryWhatTheirNamesSay() throws Exception {
    X509Certificate ca = TestCertificates.read(certificates.ca());
    X509Certificate server = TestCertificates.read(certificates.server().certificate());
    server.checkValidity();
    server.verify(ca.getPublicKey());
    assertThat(server.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));

    X509Certificate expired = TestCertificates.read(certificates.expired().certificate());
    expired.verify(ca.getPublicKey());
    assertThatThrownBy(expired::checkValidity).isInstanceOf(CertificateExpiredException.class);

    X509Certificate selfSigned = TestCertificates.read(certificates.selfSigned().certificate());
    selfSigned.verify(selfSigned.getPublicKey());
    assertThat(selfSigned.getSubjectX500Principal()).isEqualTo(selfSigned.getIssuerX500Principal());

    X509Certificate wrongHost = TestCertificates.read(certificates.wrongHost().certificate());
    wrongHost.verify(ca.getPublicKey());
    assertThat(wrongHost.getSubjectAlternativeNames()).containsExactly(List.of(2, "wrong.example"));
  }

  @Test
  void registerOverTlsReachesTheRegistrarWhichChallengesIt() throws Exception {
    try (Kamailio kamailio =
        Kamailio.start(
            KamailioOptions.defaults()
                .withUser("alice", "secret")
                .withTls(certificates.server()))) {
      for (String host : List.of("127.0.0.1", "localhost")) {
        try (SSLSocket socket = connect(host, kamailio.tlsPort())) {
          String response = exchange(socket, register(kamailio, socket.getLocalPort()));
          assertThat(response).startsWith("SIP/2.0 401 Unauthorized");
        }
      }
      ReceivedRequest register =
          kamailio.awaitRequest(r -> r.is("REGISTER") && "alice".equals(r.toUser()), WAIT);
      assertThat(register.transport()).isEqualTo("tls");
      assertThat(kamailio.port()).isNotEqualTo(kamailio.tlsPort());
    }
  }

  @Test
  void expiredCertificateFailsTheHandshake() {
    assertHandshakeFails(certificates.expired(), "127.0.0.1", "validity check failed");
  }

  @Test
  void selfSignedCertificateFailsTheHandshake() {
    assertHandshakeFails(
        certificates.selfSigned(), "127.0.0.1", "unable to find valid certification path");
  }

  @Test
  void wrongHostCertificateFailsTheHandshakeForBothNames() {
    assertHandshakeFails(
        certificates.wrongHost(), "127.0.0.1", "No subject alternative names matching IP");
    assertHandshakeFails(
        certificates.wrongHost(),
        "localhost",
        "No subject alternative DNS name matching localhost");
  }

  private static void assertHandshakeFails(TlsIdentity identity, String host, String reason) {
    try (Kamailio kamailio = Kamailio.start(KamailioOptions.defaults().withTls(identity))) {
      assertThatThrownBy(
              () -> {
                try (SSLSocket socket = connect(host, kamailio.tlsPort())) {
                  socket.startHandshake();
                }
              })
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining(reason);
    }
  }

  /** A TLS client trusting only the test CA, checking the host name as HTTPS does. */
  private static SSLSocket connect(String host, int port) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", TestCertificates.read(certificates.ca()));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  private static String register(Kamailio kamailio, int localPort) {
    String via = "127.0.0.1:" + localPort;
    return "REGISTER sip:"
        + kamailio.tlsHostPort()
        + ";transport=tls SIP/2.0\r\n"
        + "Via: SIP/2.0/TLS "
        + via
        + ";branch=z9hG4bK-"
        + System.nanoTime()
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:alice@127.0.0.1>;tag=t1\r\n"
        + "To: <sip:alice@127.0.0.1>\r\n"
        + "Call-ID: tls-"
        + System.nanoTime()
        + "\r\n"
        + "CSeq: 1 REGISTER\r\n"
        + "Contact: <sip:alice@"
        + via
        + ";transport=tls>\r\n"
        + "Expires: 60\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /** Sends {@code request} and returns the response's head (up to the blank line). */
  private static String exchange(SSLSocket socket, String request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}

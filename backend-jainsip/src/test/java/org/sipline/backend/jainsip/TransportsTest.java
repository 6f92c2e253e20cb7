package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.ReceivedRequest;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/** SIP over TCP (registrar and calls both ways) and the TLS listening point. */
class TransportsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  @Test
  void tcpRegistersAndCallsBothWays() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    try (Kamailio kamailio = Kamailio.start(KamailioOptions.defaults().withUser("tina", "pw-1"));
        JainSipBackend backend =
            JainSipBackend.start(BackendConfig.loopback().transport(Transport.TCP).build())) {
      SipAccount tina =
          backend.register(
              new AccountSpec(
                  SipUri.of("tina", "127.0.0.1", kamailio.port()), "pw-1", "tina", null),
              events);
      events.next(Registered.class);
      ReceivedRequest register = kamailio.awaitRequest(r -> r.is("REGISTER"), WAIT);
      assertThat(register.transport()).isEqualTo("tcp");
      assertThat(register.contact()).contains(";transport=tcp");

      SippOptions tcp = SippOptions.defaults().withTransport(Transport.TCP);
      try (Sipp callee = Sipp.uas(SippScenario.resource("uas-answer.xml"), tcp)) {
        SipCall call = tina.call(SipUri.of("bob", "127.0.0.1", callee.port()), Map.of(), SILENCE);
        events.next(RecordingSipEventListener.Ringing.class);
        events.next(Connected.class);
        call.hangup();
        assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.LOCAL_BYE);
        assertThat(callee.awaitExit(WAIT).succeeded()).as(callee.messages()).isTrue();
        assertThat(callee.messages()).contains("Via: SIP/2.0/TCP 127.0.0.1:" + backend.sipPort());
      }

      try (Sipp caller =
          Sipp.uac(
              SippScenario.resource("uac-call-caller-bye.xml"),
              "127.0.0.1:" + backend.sipPort(),
              tcp.withService("tina"))) {
        events.next(Incoming.class).call().answer(SILENCE);
        events.next(Connected.class);
        assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
        assertThat(caller.awaitExit(WAIT).succeeded()).as(caller.messages()).isTrue();
      }
    }
  }

  @Test
  void tlsListeningPointAnswersOverTls(@TempDir Path dir) throws Exception {
    Path keyStore = selfSignedKeyStore(dir, "store-pw");
    try (JainSipBackend backend =
        JainSipBackend.start(
            BackendConfig.loopback()
                .transport(Transport.TLS)
                .options(
                    Map.of("tls.keyStore", keyStore.toString(), "tls.keyStorePassword", "store-pw"))
                .build())) {
      SSLContext tls = SSLContext.getInstance("TLS");
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, "store-pw".toCharArray());
      }
      trust.init(store);
      tls.init(null, trust.getTrustManagers(), null);
      try (SSLSocket socket =
          (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", backend.sipPort())) {
        socket.setSoTimeout((int) WAIT.toMillis());
        int localPort = socket.getLocalPort();
        String options =
            "OPTIONS sip:127.0.0.1:"
                + backend.sipPort()
                + ";transport=tls SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:"
                + localPort
                + ";branch=z9hG4bKtls1\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:127.0.0.1>\r\n"
                + "Call-ID: tls-probe@test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        socket.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        assertThat(readHeaders(socket.getInputStream()))
            .startsWith("SIP/2.0 200 OK")
            .contains("Allow: ");
      }
    }
  }

  @Test
  void keyStoreThatDoesNotOpenIsRefusedNamingTheOption(@TempDir Path dir) throws Exception {
    Path keyStore = selfSignedKeyStore(dir, "store-pw");
    BackendConfig config =
        BackendConfig.loopback()
            .transport(Transport.TLS)
            .options(Map.of("tls.keyStore", keyStore.toString(), "tls.keyStorePassword", "wrong"))
            .build();
    assertThatThrownBy(() -> JainSipBackend.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.keyStore")
        .hasMessageContaining(keyStore.toString());
  }

  private static String readHeaders(InputStream in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (!out.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      out.write(b);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** A PKCS12 key store with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
  private static Path selfSignedKeyStore(Path dir, String password) throws Exception {
    Path store = dir.resolve("tls.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "sipline",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                password,
                "-keypass",
                password)
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("keytool did not finish within 30 s");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("keytool: %s", output).isZero();
    return store;
  }
}

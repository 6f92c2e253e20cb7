package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;
import org.sipline.testing.peers.TestCertificates;
import org.sipline.testing.peers.TlsIdentity;

/**
 * SIP over TLS through pjsua's TLS transport against Kamailio's tls.so, with the same certificates
 * and the same expectations as jainsip's TlsCertificateTest: the registrar's certificate checked
 * against {@code tls.ca} and for the host dialled; an expired, a self-signed and a wrong-host one
 * each fail registration saying why, in jainsip's words.
 */
class PjsipTlsTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static TestCertificates certificates;

  @BeforeAll
  static void makeCertificates() {
    NativeShimAvailable.assume();
    certificates = TestCertificates.create();
  }

  @AfterAll
  static void removeCertificates() {
    if (certificates != null) {
      certificates.close();
    }
  }

  @Test
  void trustedCertificateRegistersAndCarriesACallOverTls() throws Exception {
    try (Kamailio kamailio = tlsKamailio(certificates.server());
        PjsipBackend backend = start();
        Sipp callee = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults())) {
      RecordingListener tina = new RecordingListener();
      SipUri proxy = SipUri.of("sip", null, "127.0.0.1", kamailio.tlsPort(), ";transport=tls");
      SipAccount account =
          backend.register(
              new AccountSpec(
                  SipUri.of("tina", "127.0.0.1", kamailio.tlsPort()), "pw-1", "tina", proxy),
              tina);
      assertThat(tina.next(BOUND)).startsWith("registered");
      SipCall call =
          account.call(
              SipUri.of("bob", "127.0.0.1", callee.port()),
              Map.of(),
              new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
      assertThat(tina.next(BOUND)).isEqualTo("callRinging 180");
      assertThat(tina.next(BOUND)).isEqualTo("callConnected");
      call.hangup();
      assertThat(tina.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      assertThat(callee.awaitExit(BOUND).succeeded()).as(callee.messages()).isTrue();
      assertThat(kamailio.receivedRequests())
          .filteredOn(r -> r.is("REGISTER") || r.is("INVITE") || r.is("BYE"))
          .hasSizeGreaterThanOrEqualTo(3)
          .allMatch(r -> "tls".equalsIgnoreCase(r.transport()), "arrived over TLS");
    }
  }

  /**
   * Kamailio relays a call to the line's TLS listener ({@code sip:tina@127.0.0.1:<its
   * port>;transport=tls}) on a connection it opens itself. That handshake needs the certificate of
   * {@code tls.cert}/{@code tls.key}: without one the listener has nothing to present and the call
   * never reaches the line (checked: this case fails with the two options left out). A call to the
   * registered Contact would not show it: pjsua's TLS Contact names the port of the connection it
   * registered over, which Kamailio reuses.
   */
  @Test
  void aCallKamailioRelaysToOurTlsListenerReachesTheLineWithOurCertificate() throws Exception {
    try (Kamailio kamailio = tlsKamailio(certificates.server());
        PjsipBackend backend = start(certificates.server())) {
      RecordingListener tina = new RecordingListener();
      SipUri proxy = SipUri.of("sip", null, "127.0.0.1", kamailio.tlsPort(), ";transport=tls");
      backend.register(
          new AccountSpec(
              SipUri.of("tina", "127.0.0.1", kamailio.tlsPort()), "pw-1", "tina", proxy),
          tina);
      assertThat(tina.next(BOUND)).startsWith("registered");
      String listener = "sip:tina@127.0.0.1:" + backend.sipPort() + ";transport=tls";
      try (Sipp caller =
          Sipp.uac(
              SippScenario.resource("uac-call-target-callee-bye.xml"),
              kamailio.hostPort(),
              SippOptions.defaults().withKey("target", listener))) {
        assertThat(tina.next(BOUND)).startsWith("incomingCall");
        SipCall call = tina.lastIncoming;
        call.answer(new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
        assertThat(tina.next(BOUND)).isEqualTo("callConnected");
        call.hangup();
        assertThat(tina.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
        assertThat(caller.awaitExit(BOUND).succeeded()).as(caller.messages()).isTrue();
      }
      assertThat(kamailio.receivedRequests())
          .anyMatch(r -> r.is("INVITE") && r.requestUri().equals(listener), "INVITE relayed");
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsTheStartNamingTheFile() {
    Map<String, String> options =
        Map.of(
            "tls.ca", certificates.ca().toString(),
            "tls.cert", certificates.server().certificate().toString(),
            "tls.key", certificates.wrongHost().privateKey().toString());
    assertThatThrownBy(
            () ->
                new PjsipBackendProvider()
                    .create(
                        BackendConfig.loopback().transport(Transport.TLS).options(options).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "option 'tls.key': "
                + certificates.wrongHost().privateKey()
                + " is not the private key of the certificate in "
                + certificates.server().certificate());
  }

  @Test
  void expiredCertificateFailsRegistrationSayingSo() throws Exception {
    assertRefused(certificates.expired(), "127.0.0.1", "expired on ");
  }

  @Test
  void selfSignedCertificateFailsRegistrationSayingSo() throws Exception {
    assertRefused(
        certificates.selfSigned(), "127.0.0.1", "is self-signed and not among the CAs in");
  }

  @Test
  void wrongHostCertificateFailsRegistrationNamingBothHosts() throws Exception {
    assertRefused(certificates.wrongHost(), "127.0.0.1", "is for wrong.example, not 127.0.0.1");
  }

  /** As on jainsip: refused with its reason, then the same backend registers at a good one. */
  private static void assertRefused(TlsIdentity identity, String host, String reason)
      throws Exception {
    try (PjsipBackend backend = start()) {
      RecordingListener tina = new RecordingListener();
      try (Kamailio bad = tlsKamailio(identity)) {
        backend.register(account(host, bad.tlsPort()), tina);
        assertThat(tina.next(BOUND))
            .as("failure for the %s certificate", identity.description())
            .startsWith("registrationFailed TLS handshake with " + host + ":" + bad.tlsPort())
            .contains(reason);
        assertThat(bad.receivedRequests()).noneMatch(r -> r.is("REGISTER"));
      }
      try (Kamailio good = tlsKamailio(certificates.server())) {
        backend.register(account(host, good.tlsPort()), tina);
        assertThat(tina.next(BOUND)).startsWith("registered");
      }
    }
  }

  private static AccountSpec account(String host, int port) {
    return new AccountSpec(SipUri.of("tina", host, port), "pw-1", "tina", null);
  }

  /**
   * One UDP worker: SIPp's 180 and 200, sent back to back, are then relayed over TLS in that order
   * (two workers can each take one, and the 200 can overtake the 180: pjsua then absorbs the late
   * 180 and the call connects without ringing).
   */
  private static Kamailio tlsKamailio(TlsIdentity identity) {
    return Kamailio.start(
        KamailioOptions.defaults().withUser("tina", "pw-1").withTls(identity).withUdpWorkers(1));
  }

  private static PjsipBackend start() {
    return (PjsipBackend)
        new PjsipBackendProvider()
            .create(
                BackendConfig.loopback()
                    .transport(Transport.TLS)
                    .options(Map.of("tls.ca", certificates.ca().toString()))
                    .build());
  }

  /** A backend whose TLS listener presents {@code ours}. */
  private static PjsipBackend start(TlsIdentity ours) {
    return (PjsipBackend)
        new PjsipBackendProvider()
            .create(
                BackendConfig.loopback()
                    .transport(Transport.TLS)
                    .options(
                        Map.of(
                            "tls.ca", certificates.ca().toString(),
                            "tls.cert", ours.certificate().toString(),
                            "tls.key", ours.privateKey().toString()))
                    .build());
  }
}

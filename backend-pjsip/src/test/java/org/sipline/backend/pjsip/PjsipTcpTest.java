package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

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

/** With transport TCP every request of the account, REGISTER and INVITE alike, goes over TCP. */
class PjsipTcpTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private static Kamailio kamailio;

  @BeforeAll
  static void startRegistrar() {
    NativeShimAvailable.assume();
    kamailio =
        Kamailio.start(
            KamailioOptions.defaults().withUser("alice", "secret").withUser("bob", "s3cret"));
  }

  @AfterAll
  static void stopRegistrar() {
    if (kamailio != null) {
      kamailio.close();
    }
  }

  @Test
  void registrationAndACallThroughTheProxyTravelOverTcp() throws Exception {
    try (PjsipBackend backend =
        (PjsipBackend)
            new PjsipBackendProvider()
                .create(BackendConfig.loopback().transport(Transport.TCP).build())) {
      RecordingListener alice = new RecordingListener();
      RecordingListener bob = new RecordingListener();
      SipAccount aliceAccount =
          backend.register(
              new AccountSpec(
                  SipUri.of("alice", "127.0.0.1", kamailio.port()), "secret", "alice", null),
              alice);
      backend.register(
          new AccountSpec(SipUri.of("bob", "127.0.0.1", kamailio.port()), "s3cret", "bob", null),
          bob);
      assertThat(alice.next(BOUND)).startsWith("registered");
      assertThat(bob.next(BOUND)).startsWith("registered");

      SipCall out =
          aliceAccount.call(
              SipUri.of("bob", "127.0.0.1", kamailio.port()),
              Map.of(),
              new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
      assertThat(bob.next(BOUND)).startsWith("incomingCall");
      bob.lastIncoming.answer(new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
      assertThat(alice.next(BOUND)).isEqualTo("callRinging 180");
      assertThat(alice.next(BOUND)).isEqualTo("callConnected");
      out.hangup();
      assertThat(alice.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");

      assertThat(kamailio.receivedRequests())
          .filteredOn(r -> r.is("REGISTER") || r.is("INVITE"))
          .isNotEmpty()
          .allMatch(r -> "tcp".equalsIgnoreCase(r.transport()), "arrived over TCP");
    }
  }
}

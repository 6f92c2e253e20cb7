package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.sip.InstanceId;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.ReceivedRequest;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/** Registration and calls through a real Kamailio registrar/proxy with digest auth. */
class PjsipRegistrarTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private static Kamailio kamailio;
  private PjsipBackend backend;

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

  @BeforeEach
  void startBackend() {
    backend = (PjsipBackend) new PjsipBackendProvider().create(BackendConfig.loopback().build());
  }

  @AfterEach
  void stopBackend() {
    backend.close();
  }

  private SipAccount register(String user, String password, RecordingListener listener) {
    return backend.register(
        new AccountSpec(SipUri.of(user, "127.0.0.1", kamailio.port()), password, user, null),
        listener);
  }

  @Test
  void registersWithDigestAuthAndTheUnregisterRemovesTheBinding() throws Exception {
    RecordingListener alice = new RecordingListener();
    SipAccount account = register("alice", "secret", alice);

    assertThat(alice.next(BOUND)).matches("registered \\d+");
    assertThat(kamailio.awaitRegistered("alice", BOUND)).isNotEmpty();

    account.unregister();

    assertThat(alice.next(BOUND)).isEqualTo("unregistered");
    kamailio.awaitUnregistered("alice", BOUND);
  }

  @Test
  void everyRegisterCarriesTheNodesStableInstance() throws Exception {
    RecordingListener alice = new RecordingListener();
    SipAccount account = register("alice", "secret", alice);
    assertThat(alice.next(BOUND)).matches("registered \\d+");
    String instance =
        InstanceId.quoted(
            InstanceId.node(InstanceId.localHostName(), backend.sipPort()),
            "alice@127.0.0.1:" + kamailio.port());
    ReceivedRequest register =
        kamailio.awaitRequest(
            r -> r.is("REGISTER") && "alice".equals(r.fromUser()) && r.contact() != null, BOUND);
    assertThat(register.contact()).contains(";+sip.instance=" + instance);

    account.unregister();
    assertThat(alice.next(BOUND)).isEqualTo("unregistered");
    kamailio.awaitUnregistered("alice", BOUND);
  }

  @Test
  void aWrongPasswordIsARegistrationFailureWithTheRegistrarsCode() throws Exception {
    RecordingListener alice = new RecordingListener();
    register("alice", "not-the-secret", alice);

    assertThat(alice.next(BOUND)).matches("registrationFailed (401|403) .*");
    assertThat(kamailio.isRegistered("alice")).isFalse();
  }

  @Test
  void registersThroughTheOutboundProxyWhenTheDomainResolvesNowhere() throws Exception {
    try (Kamailio proxy =
        Kamailio.start(
            KamailioOptions.defaults().withDomain("sipline.test").withUser("carol", "pw-carol"))) {
      RecordingListener carol = new RecordingListener();
      // sip:sipline.test has no DNS entry: only the pre-loaded Route gets the REGISTER there.
      backend.register(
          new AccountSpec(
              SipUri.of("carol", "sipline.test", -1),
              "pw-carol",
              "carol",
              SipUri.of(null, "127.0.0.1", proxy.port())),
          carol);

      assertThat(carol.next(BOUND)).matches("registered \\d+");
      assertThat(proxy.awaitRegistered("carol", BOUND)).isNotEmpty();
    }
  }

  @Test
  void aCallThroughTheProxyAnswersItsChallengeAndCarriesTheExtraHeaders() throws Exception {
    RecordingListener alice = new RecordingListener();
    RecordingListener bob = new RecordingListener();
    SipAccount aliceAccount = register("alice", "secret", alice);
    register("bob", "s3cret", bob);
    assertThat(alice.next(BOUND)).startsWith("registered");
    assertThat(bob.next(BOUND)).startsWith("registered");

    SipCall out =
        aliceAccount.call(
            SipUri.of("bob", "127.0.0.1", kamailio.port()),
            Map.of("X-Campaign", "spring"),
            new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));

    assertThat(bob.next(BOUND)).isEqualTo("incomingCall alice@127.0.0.1");
    assertThat(bob.lastIncomingInfo.headers()).containsEntry("X-Campaign", "spring");
    bob.lastIncoming.answer(new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    assertThat(alice.next(BOUND)).isEqualTo("callRinging 180");
    assertThat(alice.next(BOUND)).isEqualTo("callConnected");
    assertThat(bob.next(BOUND)).isEqualTo("callConnected");

    out.hangup();

    assertThat(alice.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
    assertThat(bob.next(BOUND)).isEqualTo("callEnded REMOTE_BYE");
    assertThat(kamailio.receivedRequests())
        .anyMatch(r -> r.is("INVITE") && "alice".equals(r.fromUser()));
  }

  /**
   * Issue 13: pjsua gives up after a failed refresh (reg_retry_interval 0); the backend sends it
   * again after core's RegistrationTiming backoff (1 s × [0.5, 1] for the first failure), tells the
   * listener of the failure once, and of the binding when the retry succeeds.
   */
  @Test
  void aRefreshAnswered503IsSentAgainAfterTheBackoffAndTheBindingComesBack() throws Exception {
    RecordingListener alice = new RecordingListener();
    try (Sipp registrar =
        Sipp.uas(
            SippScenario.resource("uas-registrar-fails-one-refresh.xml"),
            SippOptions.defaults().withKey("expires", "2").withCalls(2))) {
      SipAccount account =
          backend.register(
              new AccountSpec(
                  SipUri.of("alice", "127.0.0.1", registrar.port()), "pw", "alice", null),
              alice);
      assertThat(alice.next(BOUND)).isEqualTo("registered 2");
      assertThat(alice.next(BOUND)).startsWith("registrationFailed 503");
      long failed = System.nanoTime();
      assertThat(alice.next(BOUND)).isEqualTo("registered 3600");
      // Not at once: after the backoff's half second at least.
      assertThat((System.nanoTime() - failed) / 1_000_000).isGreaterThanOrEqualTo(450L);

      account.unregister();
      assertThat(alice.next(BOUND)).isEqualTo("unregistered");
      registrar.awaitSuccess(BOUND);
    }
  }
}

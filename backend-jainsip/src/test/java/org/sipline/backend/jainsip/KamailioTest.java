package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.RegistrationFailed;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.RecordingSipEventListener.Unregistered;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.ReceivedRequest;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippResult;
import org.sipline.testing.peers.SippScenario;

/**
 * The backend at a real registrar and proxy: digest REGISTER (Kamailio challenges without qop), a
 * wrong password, un-REGISTER, and calls routed through Kamailio both ways, including a call
 * between two lines of the same backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KamailioTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  private Kamailio kamailio;
  private JainSipBackend backend;

  @BeforeAll
  void start() {
    kamailio =
        Kamailio.start(
            KamailioOptions.defaults()
                .withUser("alice", "alice-secret")
                .withUser("bob", "bob-secret")
                .withUser("carol", "carol-secret")
                .withUser("dave", "dave-secret")
                .withUser("erin", "erin-secret")
                .withUser("frank", "frank-secret"));
    backend = JainSipBackend.start(BackendConfig.loopback().build());
  }

  @AfterAll
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (kamailio != null) {
      kamailio.close();
    }
  }

  private AccountSpec account(String user, String password, SipUri proxy) {
    return new AccountSpec(SipUri.of(user, "127.0.0.1", kamailio.port()), password, user, proxy);
  }

  private SipUri proxy() {
    return SipUri.of(null, "127.0.0.1", kamailio.port());
  }

  @Test
  void registersWithDigestAndUnregistersAgain() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount alice = backend.register(account("alice", "alice-secret", null), events);
    assertThat(events.next(Registered.class).expires()).isPositive();
    List<String> contacts = kamailio.awaitRegistered("alice", WAIT);
    assertThat(contacts)
        .singleElement()
        .asString()
        .contains("alice@127.0.0.1:" + backend.sipPort());

    alice.unregister();
    events.next(Unregistered.class);
    kamailio.awaitUnregistered("alice", WAIT);
    ReceivedRequest unregister =
        kamailio.awaitRequest(
            r -> r.is("REGISTER") && "alice".equals(r.fromUser()) && r.expires().orElse(-1) == 0,
            WAIT);
    assertThat(unregister.callId()).isNotBlank();
  }

  @Test
  void wrongPasswordIsAFailureWith403() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    backend.register(account("dave", "not-the-password", null), events);
    RegistrationFailed failed = events.next(RegistrationFailed.class);
    assertThat(failed.failure().statusCode()).isEqualTo(403);
    assertThat(kamailio.isRegistered("dave")).isFalse();
  }

  @Test
  void callThroughKamailioAsOutboundProxyAnswersItsChallenge() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount carol = backend.register(account("carol", "carol-secret", proxy()), events);
    events.next(Registered.class);
    try (Sipp callee = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults())) {
      SipCall call = carol.call(SipUri.of("bob", "127.0.0.1", callee.port()), Map.of(), SILENCE);
      events.next(Ringing.class);
      events.next(Connected.class);
      call.hangup();
      assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.LOCAL_BYE);
      SippResult result = callee.awaitExit(WAIT);
      assertThat(result.succeeded()).as("%s\n%s", result, callee.messages()).isTrue();
      // Kamailio record-routes, so the BYE came back through it too.
      assertThat(callee.messages()).contains("Record-Route: <sip:127.0.0.1:" + kamailio.port());
    }
    kamailio.awaitRequest(r -> r.is("BYE") && call(r, "carol"), WAIT);
  }

  @Test
  void callBetweenTwoLinesOfOneBackendGoesThroughKamailio() throws Exception {
    RecordingSipEventListener aliceEvents = new RecordingSipEventListener();
    RecordingSipEventListener bobEvents = new RecordingSipEventListener();
    SipAccount alice = backend.register(account("erin", "erin-secret", proxy()), aliceEvents);
    backend.register(account("bob", "bob-secret", null), bobEvents);
    aliceEvents.next(Registered.class);
    bobEvents.next(Registered.class);
    kamailio.awaitRegistered("bob", WAIT);

    SipCall outgoing =
        alice.call(
            SipUri.of("bob", "127.0.0.1", kamailio.port()), Map.of("X-Line", "erin"), SILENCE);
    Incoming incoming = bobEvents.next(Incoming.class);
    assertThat(incoming.info().caller().user()).isEqualTo("erin");
    assertThat(incoming.info().headers()).containsEntry("X-Line", "erin");
    assertThat(aliceEvents.next(Ringing.class).statusCode()).isEqualTo(180);
    incoming.call().answer(SILENCE);
    bobEvents.next(Connected.class);
    aliceEvents.next(Connected.class);

    outgoing.hangup();
    assertThat(aliceEvents.next(Ended.class).cause()).isEqualTo(CallEnd.LOCAL_BYE);
    assertThat(bobEvents.next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
  }

  @Test
  void callFromSippThroughKamailioReachesTheRegisteredLine() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    backend.register(account("frank", "frank-secret", null), events);
    events.next(Registered.class);
    kamailio.awaitRegistered("frank", WAIT);

    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-call-caller-bye.xml"),
            kamailio.hostPort(),
            SippOptions.defaults().withService("frank"))) {
      events.next(Incoming.class).call().answer(SILENCE);
      events.next(Connected.class);
      assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
      SippResult result = caller.awaitExit(WAIT);
      assertThat(result.succeeded()).as("%s\n%s", result, caller.messages()).isTrue();
    }
  }

  private static boolean call(ReceivedRequest r, String user) {
    return user.equals(r.fromUser()) || user.equals(r.toUser());
  }
}

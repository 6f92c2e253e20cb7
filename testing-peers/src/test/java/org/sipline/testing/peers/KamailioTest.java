package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.Transport;

/** Proves the Kamailio fixture against SIPp: registrar, digest auth, proxying, stopping. */
class KamailioTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static Kamailio kamailio;

  @BeforeAll
  static void startKamailio() {
    kamailio =
        Kamailio.start(
            KamailioOptions.defaults()
                .withUser("alice", "secret")
                .withUser("bob", "b0b-pass")
                .withUser("carol", "carol-pass"));
  }

  @AfterAll
  static void stopKamailio() {
    if (kamailio != null) {
      kamailio.close();
    }
  }

  @Test
  void theSharedMemoryAskedForIsWhatKamailioStartsWith() {
    assertThat(argumentAfter(kamailio, "-m")).isEqualTo("32");
    try (Kamailio big = Kamailio.start(KamailioOptions.defaults().withSharedMemoryMb(96))) {
      assertThat(argumentAfter(big, "-m")).isEqualTo("96");
    }
    assertThatThrownBy(() -> KamailioOptions.defaults().withSharedMemoryMb(8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shared memory out of range 16-4096 MB: 8");
  }

  private static String argumentAfter(Kamailio k, String flag) {
    List<String> args =
        List.of(ProcessHandle.of(k.pid()).orElseThrow().info().arguments().orElseThrow());
    return args.get(args.indexOf(flag) + 1);
  }

  @Test
  void registerWithDigestAuthCreatesBindingAndIsLogged() {
    try (Sipp alice = register("alice", "secret", "uac-register.xml", SippOptions.defaults())) {
      alice.awaitSuccess(WAIT);
      List<String> contacts = kamailio.awaitRegistered("alice", WAIT);

      assertThat(contacts).contains("sip:alice@127.0.0.1:" + alice.port() + ";transport=UDP");
      assertThat(alice.messages()).contains("SIP/2.0 401 Unauthorized", "realm=\"127.0.0.1\"");
      List<ReceivedRequest> registers =
          kamailio.receivedRequests().stream()
              .filter(r -> r.is("REGISTER") && "alice".equals(r.toUser()))
              .toList();
      assertThat(registers).hasSize(2);
      assertThat(registers.get(1).expires()).hasValue(3600);
      assertThat(registers.get(1).source()).isEqualTo("127.0.0.1:" + alice.port());
      assertThat(registers.get(1).transport()).isEqualTo("udp");
    }
  }

  @Test
  void registerOverTcpIsAcceptedToo() {
    try (Sipp alice =
        register(
            "alice",
            "secret",
            "uac-register.xml",
            SippOptions.defaults().withTransport(Transport.TCP))) {
      alice.awaitSuccess(WAIT);
      assertThat(kamailio.awaitRegistered("alice", WAIT))
          .contains("sip:alice@127.0.0.1:" + alice.port() + ";transport=TCP");
      assertThat(kamailio.receivedRequests())
          .anyMatch(r -> r.is("REGISTER") && "tcp".equals(r.transport()));
    }
  }

  @Test
  void wrongPasswordIsRefusedWith403AndLeavesNoBinding() {
    try (Sipp carol =
        register("carol", "wrong", "uac-register-expect-403.xml", SippOptions.defaults())) {
      carol.awaitSuccess(WAIT);
      assertThat(carol.messages()).contains("SIP/2.0 403 Forbidden");
      assertThat(kamailio.isRegistered("carol")).isFalse();
    }
  }

  @Test
  void registerWithExpiresZeroRemovesTheBinding() {
    String contactPort = Integer.toString(FreePorts.udpPort());
    try (Sipp bob =
        register(
            "bob",
            "b0b-pass",
            "uac-register.xml",
            SippOptions.defaults().withKey("contact_port", contactPort))) {
      bob.awaitSuccess(WAIT);
    }
    kamailio.awaitRegistered("bob", WAIT);
    try (Sipp bob =
        register(
            "bob",
            "b0b-pass",
            "uac-register.xml",
            SippOptions.defaults().withKey("contact_port", contactPort).withKey("expires", "0"))) {
      bob.awaitSuccess(WAIT);
    }
    kamailio.awaitUnregistered("bob", WAIT);
    assertThat(kamailio.receivedRequests())
        .anySatisfy(
            r -> {
              assertThat(r.is("REGISTER")).isTrue();
              assertThat(r.expires()).hasValue(0);
            });
  }

  @Test
  void callBetweenRegisteredPeersIsProxiedAndRecordRouted() {
    try (Sipp bob = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults())) {
      // bob's binding points at the SIPp UAS.
      try (Sipp registration =
          register(
              "bob",
              "b0b-pass",
              "uac-register.xml",
              SippOptions.defaults().withKey("contact_port", Integer.toString(bob.port())))) {
        registration.awaitSuccess(WAIT);
      }
      kamailio.awaitRegistered("bob", WAIT);

      try (Sipp caller =
          Sipp.uac(
              SippScenario.resource("uac-call-wait-answer.xml"),
              kamailio.hostPort(),
              SippOptions.defaults().withService("bob").withHoldMillis(200))) {
        caller.awaitSuccess(WAIT);
        bob.awaitSuccess(WAIT);
        String callId =
            kamailio
                .awaitRequest(
                    r ->
                        r.is("INVITE")
                            && "sipp".equals(r.fromUser())
                            && kamailio.uri("bob").equals(r.requestUri()),
                    WAIT)
                .callId();

        assertThat(bob.messages())
            .contains(
                "INVITE sip:bob@127.0.0.1:" + bob.port(),
                "Record-Route: <sip:127.0.0.1:" + kamailio.port() + ";lr");
        assertThat(caller.messages()).contains("Record-Route: <sip:127.0.0.1:" + kamailio.port());
        assertThat(
                kamailio.receivedRequests().stream()
                    .filter(r -> callId.equals(r.callId()))
                    .map(ReceivedRequest::method)
                    .distinct())
            .containsExactly("INVITE", "ACK", "BYE");
      }
    }
  }

  @Test
  void callToAUserWithoutBindingGets480() {
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-call-expect-480.xml"),
            kamailio.hostPort(),
            SippOptions.defaults().withService("carol"))) {
      caller.awaitSuccess(WAIT);
    }
  }

  @Test
  void inviteFromALocalUserIsChallengedWith407() {
    SippScenario expect407 =
        SippScenario.resource("uac-call-expect-busy.xml")
            .replace("<recv response=\"486\"/>", "<recv response=\"407\"/>");
    try (Sipp alice =
        Sipp.uac(
            expect407,
            kamailio.hostPort(),
            SippOptions.defaults().withService("bob").withKey("caller", "alice"))) {
      alice.awaitSuccess(WAIT);
      assertThat(alice.messages())
          .contains(
              "SIP/2.0 407 Proxy Authentication Required",
              "Proxy-Authenticate: Digest realm=\"127.0.0.1\"");
    }
  }

  @Test
  void requestForAnotherAddressIsRelayedThere() {
    try (Sipp stranger = Sipp.uas(SippScenario.resource("uas-busy.xml"), SippOptions.defaults())) {
      // The Request-URI names the stranger's own port: not ours, so Kamailio relays it there.
      SippScenario viaProxy =
          SippScenario.resource("uac-call-expect-busy.xml")
              .replace(
                  "INVITE sip:[service]@[remote_ip]:[remote_port]",
                  "INVITE " + stranger.uri("[service]"));
      try (Sipp caller =
          Sipp.uac(viaProxy, kamailio.hostPort(), SippOptions.defaults().withService("dave"))) {
        caller.awaitSuccess(WAIT);
        stranger.awaitSuccess(WAIT);
        assertThat(stranger.messages()).contains("Via: SIP/2.0/UDP 127.0.0.1:" + kamailio.port());
      }
    }
  }

  @Test
  void ownDomainIsTheRealmAndItsUsersAreLocal() {
    try (Kamailio proxy =
            Kamailio.start(
                KamailioOptions.defaults().withDomain("sipline.test").withUser("dave", "pw-dave"));
        Sipp dave = Sipp.uas(SippScenario.resource("uas-busy.xml"), SippOptions.defaults())) {
      try (Sipp registration =
          Sipp.uac(
              SippScenario.resource("uac-register.xml"),
              proxy.hostPort(),
              SippOptions.defaults()
                  .withService("dave")
                  .withAuth("dave", "pw-dave")
                  .withKey("contact_port", Integer.toString(dave.port())))) {
        registration.awaitSuccess(WAIT);
        assertThat(registration.messages()).contains("realm=\"sipline.test\"");
      }
      assertThat(proxy.domain()).isEqualTo("sipline.test");
      SippScenario toDomain =
          SippScenario.resource("uac-call-expect-busy.xml")
              .replace(
                  "INVITE sip:[service]@[remote_ip]:[remote_port]",
                  "INVITE sip:[service]@sipline.test");

      try (Sipp caller =
          Sipp.uac(toDomain, proxy.hostPort(), SippOptions.defaults().withService("dave"))) {
        caller.awaitSuccess(WAIT);
        dave.awaitSuccess(WAIT);
      }
    }
  }

  @Test
  void inviteAuthCanBeSwitchedOff() {
    try (Kamailio open =
            Kamailio.start(
                KamailioOptions.defaults().withInviteAuth(false).withUser("alice", "secret"));
        Sipp stranger = Sipp.uas(SippScenario.resource("uas-busy.xml"), SippOptions.defaults())) {
      SippScenario toStranger =
          SippScenario.resource("uac-call-expect-busy.xml")
              .replace(
                  "INVITE sip:[service]@[remote_ip]:[remote_port]",
                  "INVITE " + stranger.uri("[service]"));
      try (Sipp alice =
          Sipp.uac(
              toStranger,
              open.hostPort(),
              SippOptions.defaults().withService("bob").withKey("caller", "alice"))) {
        alice.awaitSuccess(WAIT);
        // The status line, not "407" anywhere: SIPp stamps its log with microseconds.
        assertThat(alice.messages()).doesNotContain("SIP/2.0 407");
      }
    }
  }

  @Test
  void awaitRegisteredNamesTheUserWhenNoBindingAppears() {
    assertThatThrownBy(() -> kamailio.awaitRegistered("nobody", Duration.ofMillis(200)))
        .isInstanceOf(PeerException.class)
        .hasMessageContaining("nobody not registered");
  }

  @Test
  void stopLeavesNoKamailioProcess() {
    Kamailio own = Kamailio.start(KamailioOptions.defaults());
    List<ProcessHandle> processes = own.processes();
    assertThat(processes).hasSizeGreaterThan(1).allMatch(ProcessHandle::isAlive);

    own.close();

    assertThat(processes).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void closingTwiceStopsOnceAndThenDoesNothing() {
    Kamailio own = Kamailio.start(KamailioOptions.defaults());
    List<ProcessHandle> processes = own.processes();
    own.close();

    assertThatCode(own::close).doesNotThrowAnyException();
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void startFailureReportsExitCodeAndLogTail() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(null)) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), FreePorts.udpPort()));
      KamailioOptions onTakenPort = KamailioOptions.defaults().withPort(taken.getLocalPort());

      assertThatThrownBy(() -> Kamailio.start(onTakenPort))
          .isInstanceOf(PeerException.class)
          .hasMessageContaining("kamailio exited before it was ready; exited with")
          .hasMessageContaining(Integer.toString(taken.getLocalPort()));
    }
  }

  private static Sipp register(String user, String password, String scenario, SippOptions options) {
    return Sipp.uac(
        SippScenario.resource(scenario),
        kamailio.hostPort(),
        options.withService(user).withAuth(user, password));
  }
}

package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.RegistrationFailed;
import org.sipline.backend.jainsip.RecordingSipEventListener.Unregistered;
import org.sipline.core.sip.InstanceId;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/**
 * REGISTER, its digest rounds, refreshes, failures and un-REGISTER, against a registrar the test
 * scripts response by response.
 */
class RegistrationTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String CHALLENGE =
      "WWW-Authenticate: Digest realm=\"sipline.test\", nonce=\"n1\", qop=\"auth\", "
          + "algorithm=MD5, opaque=\"op\"";

  private final RecordingSipEventListener events = new RecordingSipEventListener();
  private ScriptedSipPeer registrar;
  private JainSipBackend backend;

  @BeforeEach
  void setUp() throws Exception {
    registrar = new ScriptedSipPeer();
  }

  @AfterEach
  void tearDown() {
    registrar.answerEverything(200);
    if (backend != null) {
      backend.close();
    }
    registrar.close();
  }

  private JainSipBackend start(BackendConfig.Builder config) {
    backend = JainSipBackend.start(config.build());
    return backend;
  }

  private JainSipBackend start() {
    return start(BackendConfig.loopback().registerTimeout(Duration.ofSeconds(2)));
  }

  private AccountSpec alice() {
    return new AccountSpec(
        SipUri.of("alice", "127.0.0.1", registrar.port()), "secret", "alice-auth", null);
  }

  @Test
  void registersAfterMd5ChallengeWithRandomCnonceAndCountingNc() throws Exception {
    SipAccount account = start().register(alice(), events);

    SipText first = registrar.expect("REGISTER", WAIT);
    assertThat(first.requestUri()).isEqualTo("sip:127.0.0.1:" + registrar.port());
    assertThat(first.header("Authorization")).isNull();
    assertThat(first.header("Expires")).isEqualTo("600");
    assertThat(first.header("Contact"))
        .isEqualTo(
            "<sip:alice@127.0.0.1:"
                + backend.sipPort()
                + ">;+sip.instance="
                + InstanceId.quoted(
                    InstanceId.node(InstanceId.localHostName(), backend.sipPort()),
                    "alice@127.0.0.1:" + registrar.port()));
    assertThat(first.header("Via")).contains(";rport");
    registrar.respond(first, 401, "Unauthorized", CHALLENGE);

    SipText second = registrar.expect("REGISTER", WAIT);
    assertThat(second.callId()).isEqualTo(first.callId());
    assertThat(second.cseq()).isEqualTo(first.cseq() + 1);
    assertThat(second.tag("From")).isEqualTo(first.tag("From"));
    String authorization = second.header("Authorization");
    assertThat(SipText.param(authorization, "username")).isEqualTo("alice-auth");
    assertThat(SipText.param(authorization, "uri")).isEqualTo(second.requestUri());
    assertThat(SipText.param(authorization, "nc")).isEqualTo("00000001");
    assertThat(SipText.param(authorization, "qop")).isEqualTo("auth");
    assertThat(SipText.param(authorization, "opaque")).isEqualTo("op");
    assertThat(authorization).contains("qop=auth").doesNotContain("qop=\"auth\"");
    String cnonce = SipText.param(authorization, "cnonce");
    assertThat(cnonce).hasSize(32).isNotEqualTo("xyz");
    assertThat(SipText.param(authorization, "response"))
        .isEqualTo(expectedResponse(DigestAlgorithm.MD5, second, "n1", "auth"));
    registrar.respond(
        second, 200, "OK", "Contact: <sip:alice@127.0.0.1:" + backend.sipPort() + ">;expires=120");

    Registered registered = events.next(Registered.class);
    assertThat(registered.account()).isSameAs(account);
    assertThat(registered.expires()).isEqualTo(120);
  }

  @Test
  void answersProxyChallengeWithProxyAuthorizationInSha256() throws Exception {
    start().register(alice(), events);
    SipText first = registrar.expect("REGISTER", WAIT);
    registrar.respond(
        first,
        407,
        "Proxy Authentication Required",
        "Proxy-Authenticate: Digest realm=\"proxy.test\", nonce=\"p1\", qop=\"auth\", "
            + "algorithm=SHA-256");

    SipText second = registrar.expect("REGISTER", WAIT);
    assertThat(second.header("Authorization")).isNull();
    String authorization = second.header("Proxy-Authorization");
    assertThat(SipText.param(authorization, "algorithm")).isEqualTo("SHA-256");
    assertThat(SipText.param(authorization, "response"))
        .isEqualTo(expectedResponse(DigestAlgorithm.SHA_256, second, "p1", "auth"));
    registrar.respond(second, 200, "OK", "Expires: 300");

    assertThat(events.next(Registered.class).expires()).isEqualTo(300);
  }

  @Test
  void answersTheTopmostChallengeItSupports() throws Exception {
    start().register(alice(), events);
    SipText first = registrar.expect("REGISTER", WAIT);
    registrar.respond(
        first,
        401,
        "Unauthorized",
        "WWW-Authenticate: Digest realm=\"r\", nonce=\"aka\", algorithm=AKAv1-MD5",
        "WWW-Authenticate: Digest realm=\"r\", nonce=\"sha\", qop=\"auth\", algorithm=SHA-256",
        "WWW-Authenticate: Digest realm=\"r\", nonce=\"md5\", qop=\"auth\", algorithm=MD5");

    String authorization = registrar.expect("REGISTER", WAIT).header("Authorization");
    assertThat(SipText.param(authorization, "nonce")).isEqualTo("sha");
    assertThat(SipText.param(authorization, "algorithm")).isEqualTo("SHA-256");
  }

  @Test
  void answersChallengeWithoutQopInRfc2069Style() throws Exception {
    start().register(alice(), events);
    SipText first = registrar.expect("REGISTER", WAIT);
    registrar.respond(
        first, 401, "Unauthorized", "WWW-Authenticate: Digest realm=\"old\", nonce=\"n2069\"");

    SipText second = registrar.expect("REGISTER", WAIT);
    String authorization = second.header("Authorization");
    assertThat(SipText.param(authorization, "qop")).isNull();
    assertThat(SipText.param(authorization, "nc")).isNull();
    assertThat(SipText.param(authorization, "cnonce")).isNull();
    assertThat(SipText.param(authorization, "response"))
        .isEqualTo(expectedResponse(DigestAlgorithm.MD5, second, "n2069", null));
  }

  @Test
  void secondChallengeAfterAnsweringOneFailsWithoutLooping() throws Exception {
    start().register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 401, "Unauthorized", CHALLENGE);
    SipText answered = registrar.expect("REGISTER", WAIT);
    registrar.respond(answered, 401, "Unauthorized", CHALLENGE.replace("n1", "n2"));

    RegistrationFailed failed = events.next(RegistrationFailed.class);
    assertThat(failed.failure().statusCode()).isEqualTo(401);
    assertThat(failed.failure().reason()).contains("Unauthorized").contains("refused");
    registrar.expectNo("REGISTER", Duration.ofMillis(700));
  }

  @Test
  void staleChallengeIsAnsweredWithTheNewNonce() throws Exception {
    start().register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 401, "Unauthorized", CHALLENGE);
    registrar.respond(
        registrar.expect("REGISTER", WAIT),
        401,
        "Unauthorized",
        CHALLENGE.replace("n1", "fresh") + ", stale=true");

    SipText third = registrar.expect("REGISTER", WAIT);
    String authorization = third.header("Authorization");
    assertThat(SipText.param(authorization, "nonce")).isEqualTo("fresh");
    assertThat(SipText.param(authorization, "nc")).isEqualTo("00000001");
    registrar.respond(third, 200, "OK", "Expires: 60");
    events.next(Registered.class);
  }

  @Test
  void finalErrorIsReportedWithCodeAndReason() throws Exception {
    start().register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 403, "Forbidden");

    RegistrationFailed failed = events.next(RegistrationFailed.class);
    assertThat(failed.failure().statusCode()).isEqualTo(403);
    assertThat(failed.failure().describe()).isEqualTo("403 Forbidden");
  }

  @Test
  void failedAccountCanBeRegisteredAgain() throws Exception {
    start().register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 403, "Forbidden");
    events.next(RegistrationFailed.class);

    backend.register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 200, "OK");
    assertThat(events.next(Registered.class).expires()).isEqualTo(600);
  }

  @Test
  void silentRegistrarFailsWithinTheRegisterTimeout() throws Exception {
    start(BackendConfig.loopback().registerTimeout(Duration.ofSeconds(1)));
    registrar.silent(true);
    long start = System.nanoTime();
    backend.register(alice(), events);

    RegistrationFailed failed = events.next(RegistrationFailed.class, Duration.ofSeconds(3));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
    assertThat(failed.failure().statusCode()).isZero();
    assertThat(failed.failure().reason()).contains("no answer").contains("within 1 s");
  }

  @Test
  void refreshKeepsCallIdRaisesCseqAndCountsNcOnTheSameNonce() throws Exception {
    start().register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 401, "Unauthorized", CHALLENGE);
    SipText answered = registrar.expect("REGISTER", WAIT);
    registrar.respond(answered, 200, "OK", "Expires: 2");
    assertThat(events.next(Registered.class).expires()).isEqualTo(2);

    // Granted 2 s: the refresh goes out between 50 % and 90 % of it (never before 1 s: a timer
    // does not fire early; the upper end is RegistrationTimingTest's, here only "before expiry").
    long sent = System.nanoTime();
    SipText refresh = registrar.expect("REGISTER", WAIT);
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1))
        .isLessThan(Duration.ofSeconds(2));
    assertThat(refresh.callId()).isEqualTo(answered.callId());
    assertThat(refresh.cseq()).isEqualTo(answered.cseq() + 1);
    String authorization = refresh.header("Authorization");
    assertThat(SipText.param(authorization, "nc")).isEqualTo("00000002");
    assertThat(SipText.param(authorization, "cnonce"))
        .isNotEqualTo(SipText.param(answered.header("Authorization"), "cnonce"));
    assertThat(SipText.param(authorization, "response"))
        .isEqualTo(expectedResponse(DigestAlgorithm.MD5, refresh, "n1", "auth"));
    registrar.respond(refresh, 200, "OK", "Expires: 60");
    assertThat(events.next(Registered.class).expires()).isEqualTo(60);
  }

  @Test
  void refreshAnsweredWithChallengeIsAuthenticatedAgain() throws Exception {
    start().register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 401, "Unauthorized", CHALLENGE);
    registrar.respond(registrar.expect("REGISTER", WAIT), 200, "OK", "Expires: 2");
    events.next(Registered.class);

    // The cached nonce is refused (not stale, but it was not an answer to a fresh challenge).
    registrar.respond(
        registrar.expect("REGISTER", WAIT), 401, "Unauthorized", CHALLENGE.replace("n1", "n2"));
    SipText answered = registrar.expect("REGISTER", WAIT);
    assertThat(SipText.param(answered.header("Authorization"), "nonce")).isEqualTo("n2");
    registrar.respond(answered, 200, "OK", "Expires: 60");
    events.next(Registered.class);
  }

  @Test
  void registrarThatGoesAwayAndComesBackIsRegisteredAgain() throws Exception {
    start(BackendConfig.loopback().registerTimeout(Duration.ofSeconds(1)));
    backend.register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 200, "OK", "Expires: 2");
    events.next(Registered.class);

    registrar.silent(true);
    RegistrationFailed failed = events.next(RegistrationFailed.class, WAIT);
    assertThat(failed.failure().reason()).contains("no answer");
    registrar.silent(false);

    SipText retry = registrar.expect("REGISTER", WAIT);
    registrar.respond(retry, 200, "OK", "Expires: 60");
    assertThat(events.next(Registered.class).expires()).isEqualTo(60);
  }

  @Test
  void failedRefreshesAreRetriedAfterGrowingJitteredWaitsAndASuccessResetsThem() throws Exception {
    start().register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 200, "OK", "Expires: 2");
    events.next(Registered.class);

    // The n-th failure in a row waits 0.5–1 × min(2^(n-1), 60) s: at least 0.5, 1, then 2 s.
    SipText refresh = registrar.expect("REGISTER", WAIT);
    long[] atLeastMillis = {500, 1000, 2000};
    for (long least : atLeastMillis) {
      registrar.respond(refresh, 503, "Service Unavailable");
      long refused = System.nanoTime();
      refresh = registrar.expect("REGISTER", Duration.ofSeconds(6));
      assertThat(System.nanoTime() - refused).isGreaterThanOrEqualTo(least * 1_000_000);
    }
    assertThat(events.next(RegistrationFailed.class).failure().statusCode()).isEqualTo(503);
    registrar.respond(refresh, 200, "OK", "Expires: 2");
    events.next(Registered.class);

    // Registered again: the next failure starts the count from the first wait.
    refresh = registrar.expect("REGISTER", WAIT);
    registrar.respond(refresh, 500, "Server Internal Error");
    long refused = System.nanoTime();
    SipText retry = registrar.expect("REGISTER", WAIT);
    assertThat(Duration.ofNanos(System.nanoTime() - refused)).isLessThan(Duration.ofMillis(1500));
    registrar.respond(retry, 200, "OK", "Expires: 600");
  }

  @Test
  void theInstanceIsTheSameWhenTheProcessComesBackOnItsPortAndDiffersOnAnother() throws Exception {
    start().register(alice(), events);
    SipText register = registrar.expect("REGISTER", WAIT);
    registrar.respond(register, 200, "OK", "Expires: 600");
    events.next(Registered.class);
    int port = backend.sipPort();
    String instance = SipText.param(register.header("Contact"), "+sip.instance");
    assertThat(register.header("Contact")).contains(";+sip.instance=\"<urn:uuid:");
    assertThat(instance).startsWith("<urn:uuid:").endsWith(">");
    registrar.answerEverything(200); // the un-REGISTER at close
    backend.close();
    registrar.answerEverything(0);

    // The restart on the configured port: the same instance, so the binding is replaced.
    start(BackendConfig.loopback().sipPort(port).registerTimeout(Duration.ofSeconds(2)));
    RecordingSipEventListener restarted = new RecordingSipEventListener();
    backend.register(alice(), restarted);
    SipText again = registrar.expect("REGISTER", WAIT);
    assertThat(SipText.param(again.header("Contact"), "+sip.instance")).isEqualTo(instance);
    assertThat(again.callId()).isNotEqualTo(register.callId());
    registrar.respond(again, 200, "OK", "Expires: 600");
    restarted.next(Registered.class);

    // Another process of this host with the same account: its own instance.
    try (JainSipBackend other =
        JainSipBackend.start(
            BackendConfig.loopback().registerTimeout(Duration.ofSeconds(2)).build())) {
      other.register(alice(), new RecordingSipEventListener());
      SipText theirs = registrar.expect("REGISTER", WAIT);
      assertThat(SipText.param(theirs.header("Contact"), "+sip.instance")).isNotEqualTo(instance);
      registrar.respond(theirs, 200, "OK", "Expires: 600");
      registrar.answerEverything(200);
    }
  }

  @Test
  void intervalTooBriefIsRetriedWithMinExpires() throws Exception {
    start().register(alice(), events);
    registrar.respond(
        registrar.expect("REGISTER", WAIT), 423, "Interval Too Brief", "Min-Expires: 1800");
    SipText second = registrar.expect("REGISTER", WAIT);
    assertThat(second.header("Expires")).isEqualTo("1800");
    registrar.respond(second, 200, "OK", "Expires: 1800");
    assertThat(events.next(Registered.class).expires()).isEqualTo(1800);
  }

  @Test
  void unregisterSendsExpiresZeroAndAnswersItsChallenge() throws Exception {
    SipAccount account = start().register(alice(), events);
    SipText register = registrar.expect("REGISTER", WAIT);
    registrar.respond(register, 200, "OK", "Expires: 600");
    events.next(Registered.class);

    account.unregister();
    SipText unregister = registrar.expect("REGISTER", WAIT);
    assertThat(unregister.header("Expires")).isEqualTo("0");
    assertThat(unregister.header("Contact")).isEqualTo(register.header("Contact"));
    assertThat(unregister.callId()).isEqualTo(register.callId());
    registrar.respond(unregister, 401, "Unauthorized", CHALLENGE);
    SipText answered = registrar.expect("REGISTER", WAIT);
    assertThat(answered.header("Expires")).isEqualTo("0");
    assertThat(answered.header("Authorization")).isNotNull();
    registrar.respond(answered, 200, "OK");

    assertThat(events.next(Unregistered.class).account()).isSameAs(account);
    events.assertNoMoreEvents(Duration.ofMillis(300));
  }

  @Test
  void outboundProxyIsAPreloadedLooseRoute() throws Exception {
    start();
    SipUri proxy = SipUri.of(null, "127.0.0.1", registrar.port());
    backend.register(
        new AccountSpec(SipUri.of("alice", "registrar.invalid", -1), "secret", "alice", proxy),
        events);

    SipText register = registrar.expect("REGISTER", WAIT);
    assertThat(register.requestUri()).isEqualTo("sip:registrar.invalid");
    assertThat(register.header("Route")).isEqualTo("<sip:127.0.0.1:" + registrar.port() + ";lr>");
    assertThat(register.header("To")).isEqualTo("<sip:alice@registrar.invalid>");
  }

  @Test
  void wildcardBindAdvertisesTheAddressThatRoutesToThePeer() throws Exception {
    start(BackendConfig.loopback().bindAddress("0.0.0.0"));
    backend.register(alice(), events);

    SipText register = registrar.expect("REGISTER", WAIT);
    assertThat(register.header("Contact")).startsWith("<sip:alice@127.0.0.1:");
    assertThat(register.header("Via")).contains("127.0.0.1:" + backend.sipPort());
  }

  @Test
  void advertisedAddressIsUsedInViaAndContact() throws Exception {
    start(BackendConfig.loopback().advertisedAddress("127.0.0.77"));
    backend.register(alice(), events);

    SipText register = registrar.expect("REGISTER", WAIT);
    assertThat(register.header("Contact")).startsWith("<sip:alice@127.0.0.77:");
    assertThat(register.header("Via")).contains("127.0.0.77:");
  }

  @Test
  void registeringAnAccountTwiceIsRefused() throws Exception {
    start().register(alice(), events);
    assertThatThrownBy(() -> backend.register(alice(), events))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("alice@127.0.0.1:" + registrar.port())
        .hasMessageContaining("already registered");
  }

  @Test
  void closeUnregistersAndEndsEveryThreadOfTheBackend() throws Exception {
    start().register(alice(), events);
    registrar.respond(registrar.expect("REGISTER", WAIT), 200, "OK", "Expires: 600");
    events.next(Registered.class);
    ThreadGroup threads = backend.threads();
    assertThat(JainSipStack.threadsOf(threads))
        .extracting(Thread::getName)
        .contains("EventScannerThread");

    Thread closer = new Thread(backend::close);
    closer.start();
    SipText unregister = registrar.expect("REGISTER", WAIT);
    assertThat(unregister.header("Expires")).isEqualTo("0");
    registrar.respond(unregister, 200, "OK");
    closer.join(WAIT.toMillis());

    assertThat(closer.isAlive()).isFalse();
    events.next(Unregistered.class);
    assertThat(JainSipStack.threadsOf(threads)).isEmpty();
    backend = null;
  }

  @Test
  void listenerThatThrowsDoesNotStopTheRegistration() throws Exception {
    SipEventListener throwing =
        new SipEventListener() {
          @Override
          public void registered(SipAccount account, int expiresSeconds) {
            events.registered(account, expiresSeconds);
            throw new IllegalStateException("listener bug");
          }
        };
    start().register(alice(), throwing);
    registrar.respond(registrar.expect("REGISTER", WAIT), 200, "OK", "Expires: 2");
    events.next(Registered.class);

    SipText refresh = registrar.expect("REGISTER", WAIT);
    registrar.respond(refresh, 200, "OK", "Expires: 60");
    assertThat(events.next(Registered.class).expires()).isEqualTo(60);
  }

  @Test
  void takenSipPortIsReportedByNumber() throws Exception {
    assertThatThrownBy(() -> start(BackendConfig.loopback().sipPort(registrar.port())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("port " + registrar.port());
  }

  @Test
  void backendsOnFreePortsGetDistinctPorts() {
    Set<Integer> ports = new HashSet<>();
    try (JainSipBackend a = JainSipBackend.start(BackendConfig.loopback().build());
        JainSipBackend b = JainSipBackend.start(BackendConfig.loopback().build())) {
      ports.add(a.sipPort());
      ports.add(b.sipPort());
    }
    assertThat(ports).hasSize(2).allMatch(p -> p > 0);
  }

  /** The response the Authorization of {@code request} must carry, from its own nc/cnonce. */
  private static String expectedResponse(
      DigestAlgorithm algorithm, SipText request, String nonce, String qop) {
    String header =
        request.header("Authorization") != null
            ? request.header("Authorization")
            : request.header("Proxy-Authorization");
    return new DigestResponse(
            algorithm,
            SipText.param(header, "username"),
            SipText.param(header, "realm"),
            "secret",
            nonce,
            request.method(),
            request.requestUri(),
            qop,
            SipText.param(header, "nc"),
            SipText.param(header, "cnonce"),
            null)
        .compute();
  }
}

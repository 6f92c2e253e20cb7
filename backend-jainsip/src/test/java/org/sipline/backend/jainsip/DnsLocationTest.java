package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Dnsmasq;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * RFC 3263 against real peers: dnsmasq serves NAPTR and SRV records for {@value #DOMAIN} that point
 * at two Kamailio registrars; accounts and callees are named by the domain alone ({@code
 * alice@sipline.test}), so every REGISTER and INVITE is located through NAPTR → SRV → A.
 */
class DnsLocationTest {
  private static final String DOMAIN = "sipline.test";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static KamailioOptions registrar(int users) {
    KamailioOptions o = KamailioOptions.defaults().withDomain(DOMAIN);
    for (int i = 0; i < users; i++) {
      o = o.withUser("user" + i, "secret" + i);
    }
    return o;
  }

  private static AccountSpec account(int i) {
    return new AccountSpec(SipUri.of("user" + i, DOMAIN, -1), "secret" + i, "user" + i, null);
  }

  /** NAPTR → {@code _sip._udp}; SRV a (priority 10, {@code weightA}) and b ({@code prioB}, 10). */
  private static Dnsmasq dns(Kamailio a, Kamailio b, int weightA, int prioB) {
    return Dnsmasq.start(
        DOMAIN,
        List.of(
            "--naptr-record=" + DOMAIN + ",10,10,S,SIP+D2T,,_sip._tcp." + DOMAIN,
            "--naptr-record=" + DOMAIN + ",20,10,S,SIP+D2U,,_sip._udp." + DOMAIN,
            "--srv-host=_sip._udp." + DOMAIN + ",a." + DOMAIN + "," + a.port() + ",10," + weightA,
            "--srv-host=_sip._udp."
                + DOMAIN
                + ",b."
                + DOMAIN
                + ","
                + b.port()
                + ","
                + prioB
                + ",10",
            "--host-record=a." + DOMAIN + ",127.0.0.1",
            "--host-record=b." + DOMAIN + ",127.0.0.1"));
  }

  private static BackendConfig config(Dnsmasq dns) {
    return BackendConfig.loopback()
        .registerTimeout(Duration.ofSeconds(2))
        .transactionTimeout(Duration.ofSeconds(3))
        .options(Map.of(BackendOptions.DNS_SERVERS, dns.address()))
        .build();
  }

  @Test
  void registrationsAndCallsFindTheFirstByPriorityAndTheSecondWhenItIsGone() throws Exception {
    try (Kamailio first = Kamailio.start(registrar(4));
        Kamailio second = Kamailio.start(registrar(4));
        Dnsmasq dns = dns(first, second, 10, 20);
        JainSipBackend backend = JainSipBackend.start(config(dns))) {
      RecordingSipEventListener aliceEvents = new RecordingSipEventListener();
      RecordingSipEventListener bobEvents = new RecordingSipEventListener();
      SipAccount alice = backend.register(account(0), aliceEvents);
      backend.register(account(1), bobEvents);
      aliceEvents.next(Registered.class);
      bobEvents.next(Registered.class);
      assertThat(first.isRegistered("user0")).isTrue();
      assertThat(first.isRegistered("user1")).isTrue();
      assertThat(second.isRegistered("user0")).isFalse();

      // The Request-URI stays as asked; the INVITE went to the first registrar, which found bob.
      LineToLineCall.callAndHangUp(alice, aliceEvents, bobEvents, SipUri.of("user1", DOMAIN, -1));
      assertThat(first.receivedRequests())
          .anyMatch(r -> r.is("INVITE") && r.requestUri().equals("sip:user1@" + DOMAIN));

      first.close();
      // A new line now: its REGISTER times out at the first (2 s) and goes to the second.
      RecordingSipEventListener carolEvents = new RecordingSipEventListener();
      RecordingSipEventListener daveEvents = new RecordingSipEventListener();
      long started = System.nanoTime();
      SipAccount carol = backend.register(account(2), carolEvents);
      backend.register(account(3), daveEvents);
      carolEvents.next(Registered.class, Duration.ofSeconds(8));
      daveEvents.next(Registered.class, Duration.ofSeconds(8));
      System.out.printf(
          "FIGURE dns-failover register %.1f s (register timeout 2 s)%n",
          (System.nanoTime() - started) / 1e9);
      assertThat(second.isRegistered("user2")).isTrue();
      assertThat(second.isRegistered("user3")).isTrue();

      // And an INVITE: no answer from the first within the transaction bound (3 s), the second.
      started = System.nanoTime();
      LineToLineCall.callAndHangUp(carol, carolEvents, daveEvents, SipUri.of("user3", DOMAIN, -1));
      System.out.printf(
          "FIGURE dns-failover call set-up %.1f s (transaction timeout 3 s)%n",
          (System.nanoTime() - started) / 1e9);
    }
  }

  @Test
  void weightsSpreadRegistrationsAsConfigured() throws Exception {
    int lines = 40;
    try (Kamailio heavy = Kamailio.start(registrar(lines));
        Kamailio light = Kamailio.start(registrar(lines));
        // Equal priority, weights 30:10 → three of four lines at the first.
        Dnsmasq dns = dns(heavy, light, 30, 10);
        JainSipBackend backend = JainSipBackend.start(config(dns), new SplittableRandom(3263))) {
      List<RecordingSipEventListener> events = new ArrayList<>();
      for (int i = 0; i < lines; i++) {
        RecordingSipEventListener e = new RecordingSipEventListener();
        events.add(e);
        backend.register(account(i), e);
      }
      for (RecordingSipEventListener e : events) {
        e.next(Registered.class, WAIT);
      }
      int atHeavy = 0;
      int atLight = 0;
      for (int i = 0; i < lines; i++) {
        atHeavy += heavy.isRegistered("user" + i) ? 1 : 0;
        atLight += light.isRegistered("user" + i) ? 1 : 0;
      }
      System.out.printf(
          "FIGURE dns-weights %d lines: %d at weight 30, %d at weight 10%n",
          lines, atHeavy, atLight);
      assertThat(atHeavy + atLight).isEqualTo(lines);
      // Expected 30 and 10; binomial σ ≈ 2.7, so ±8 is a loose bound even without the seed.
      assertThat(atHeavy).isBetween(22, 38);
    }
  }
}

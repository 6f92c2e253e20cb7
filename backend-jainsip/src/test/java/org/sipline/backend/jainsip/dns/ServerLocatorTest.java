package org.sipline.backend.jainsip.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * RFC 3263 §4 against a name server of the test's own: which records are asked for in which order,
 * what each answer makes of the target list, what is cached, and how every kind of bad answer ends
 * in a failure naming the lookup.
 */
class ServerLocatorTest {
  private static final Duration BOUND = Duration.ofSeconds(8);

  private FakeNameServer dns;
  private ServerLocator locator;

  @BeforeEach
  void start() throws Exception {
    dns = new FakeNameServer();
    locator = locator(new SplittableRandom(7));
  }

  private ServerLocator locator(java.util.random.RandomGenerator random) {
    return ServerLocator.create(List.of(dns.address()), random, Duration.ofMillis(400));
  }

  @AfterEach
  void stop() throws Exception {
    dns.close();
  }

  private static Name n(String name) {
    return Name.fromConstantString(name);
  }

  private static ARecord a(String name, String address) throws Exception {
    return new ARecord(n(name), DClass.IN, 60, InetAddress.getByName(address));
  }

  private static SRVRecord srv(String name, int priority, int weight, int port, String target) {
    return new SRVRecord(n(name), DClass.IN, 60, priority, weight, port, n(target));
  }

  private static NAPTRRecord naptr(String name, int order, int pref, String service, String to) {
    return new NAPTRRecord(n(name), DClass.IN, 60, order, pref, "s", service, "", n(to));
  }

  private static SipUri uri(String host, int port) {
    return SipUri.of("bob", host, port);
  }

  @Test
  void aNumericHostIsUsedAsItIsWithoutAnyQuery() throws Exception {
    assertThat(locator.locate(uri("127.0.0.7", -1), Transport.UDP, BOUND))
        .containsExactly(new SipTarget("127.0.0.7", 5060, Transport.UDP));
    assertThat(locator.locate(uri("[::1]", 5099), Transport.TLS, BOUND))
        .containsExactly(new SipTarget("0:0:0:0:0:0:0:1", 5099, Transport.TLS));
    assertThat(dns.queries()).isEmpty();
  }

  @Test
  void aHostWithAPortIsLookedUpForAddressesOnly() throws Exception {
    dns.add(a("pbx.test.", "127.0.0.9"));
    assertThat(locator.locate(uri("pbx.test", 5070), Transport.UDP, BOUND))
        .containsExactly(new SipTarget("127.0.0.9", 5070, Transport.UDP));
    assertThat(dns.queries()).containsExactly("pbx.test. A", "pbx.test. AAAA");
  }

  @Test
  void naptrPicksOurTransportsSrvNameAndSrvOrdersByPriority() throws Exception {
    dns.add(naptr("carrier.test.", 10, 10, "SIP+D2T", "_sip._tcp.carrier.test."))
        .add(naptr("carrier.test.", 20, 10, "SIP+D2U", "_sip._udp.carrier.test."))
        .add(srv("_sip._udp.carrier.test.", 20, 0, 5082, "b.carrier.test."))
        .add(srv("_sip._udp.carrier.test.", 10, 0, 5081, "a.carrier.test."))
        .add(srv("_sip._tcp.carrier.test.", 10, 0, 5090, "t.carrier.test."))
        .add(a("a.carrier.test.", "127.0.0.11"))
        .add(a("b.carrier.test.", "127.0.0.12"))
        .add(a("t.carrier.test.", "127.0.0.13"));

    assertThat(locator.locate(uri("carrier.test", -1), Transport.UDP, BOUND))
        .containsExactly(
            new SipTarget("127.0.0.11", 5081, Transport.UDP),
            new SipTarget("127.0.0.12", 5082, Transport.UDP));
    assertThat(dns.queries())
        .startsWith("carrier.test. NAPTR", "_sip._udp.carrier.test. SRV")
        .doesNotContain("_sip._tcp.carrier.test. SRV");
    assertThat(locator.locate(uri("carrier.test", -1), Transport.TCP, BOUND))
        .containsExactly(new SipTarget("127.0.0.13", 5090, Transport.TCP));
  }

  @Test
  void naptrWithoutOurTransportFailsNamingWhatIsOffered() {
    dns.add(naptr("carrier.test.", 10, 10, "SIPS+D2T", "_sips._tcp.carrier.test."));
    assertThatThrownBy(() -> locator.locate(uri("carrier.test", -1), Transport.UDP, BOUND))
        .isInstanceOf(LookupFailedException.class)
        .hasMessage("DNS: the NAPTR records of carrier.test offer no SIP+D2U (UDP)");
  }

  @Test
  void withoutNaptrTheSrvNameComesFromTheTransport() throws Exception {
    dns.add(srv("_sips._tcp.secure.test.", 1, 0, 5071, "s.secure.test."))
        .add(a("s.secure.test.", "127.0.0.21"));
    assertThat(locator.locate(uri("secure.test", -1), Transport.TLS, BOUND))
        .containsExactly(new SipTarget("127.0.0.21", 5071, Transport.TLS));
  }

  @Test
  void withNeitherNaptrNorSrvTheHostsAddressesOnTheDefaultPort() throws Exception {
    dns.add(a("plain.test.", "127.0.0.31")).add(a("plain.test.", "127.0.0.32"));
    assertThat(locator.locate(uri("plain.test", -1), Transport.UDP, BOUND))
        .extracting(SipTarget::port)
        .containsExactly(5060, 5060);
    assertThat(locator.locate(uri("plain.test", -1), Transport.TLS, BOUND))
        .extracting(SipTarget::port)
        .containsExactly(5061, 5061);
  }

  @Test
  void weightsShareFirstPlacesWithinOnePriorityAsConfigured() throws Exception {
    dns.add(srv("_sip._udp.spread.test.", 5, 30, 5060, "heavy.spread.test."))
        .add(srv("_sip._udp.spread.test.", 5, 10, 5060, "light.spread.test."))
        .add(srv("_sip._udp.spread.test.", 9, 50, 5060, "backup.spread.test."))
        .add(a("heavy.spread.test.", "127.0.0.41"))
        .add(a("light.spread.test.", "127.0.0.42"))
        .add(a("backup.spread.test.", "127.0.0.43"));
    int heavyFirst = 0;
    int rounds = 2000;
    for (int i = 0; i < rounds; i++) {
      List<SipTarget> t = locator.locate(uri("spread.test", -1), Transport.UDP, BOUND);
      assertThat(t).hasSize(3);
      assertThat(t.get(2).address()).isEqualTo("127.0.0.43"); // a lower priority is never first
      heavyFirst += t.get(0).address().equals("127.0.0.41") ? 1 : 0;
    }
    // 30:10 → 75 % of first places; with 2,000 draws the standard deviation is ~1 %.
    assertThat(heavyFirst / (double) rounds).isBetween(0.70, 0.80);
  }

  @Test
  void theSameSeedGivesTheSameOrder() throws Exception {
    dns.add(srv("_sip._udp.spread.test.", 5, 1, 5060, "x.spread.test."))
        .add(srv("_sip._udp.spread.test.", 5, 1, 5060, "y.spread.test."))
        .add(srv("_sip._udp.spread.test.", 5, 1, 5060, "z.spread.test."))
        .add(a("x.spread.test.", "127.0.0.51"))
        .add(a("y.spread.test.", "127.0.0.52"))
        .add(a("z.spread.test.", "127.0.0.53"));
    List<List<SipTarget>> first = new java.util.ArrayList<>();
    List<List<SipTarget>> second = new java.util.ArrayList<>();
    ServerLocator one = locator(new SplittableRandom(99));
    ServerLocator two = locator(new SplittableRandom(99));
    for (int i = 0; i < 20; i++) {
      first.add(one.locate(uri("spread.test", -1), Transport.UDP, BOUND));
      second.add(two.locate(uri("spread.test", -1), Transport.UDP, BOUND));
    }
    assertThat(first).isEqualTo(second);
    assertThat(first.stream().map(l -> l.get(0)).distinct()).hasSizeGreaterThan(1);
  }

  @Test
  void answersAndNegativeAnswersAreCachedForTheirTtl() throws Exception {
    dns.add(a("plain.test.", "127.0.0.31"));
    locator.locate(uri("plain.test", -1), Transport.UDP, BOUND);
    int asked = dns.queries().size();
    // NAPTR and SRV were NODATA (SOA minimum 300 s), A positive (TTL 60 s): all from the cache.
    assertThat(locator.locate(uri("plain.test", -1), Transport.UDP, BOUND)).hasSize(1);
    assertThat(dns.queries()).hasSize(asked);
    assertThatThrownBy(() -> locator.locate(uri("nowhere.test", -1), Transport.UDP, BOUND))
        .hasMessage("DNS lookup of nowhere.test: no address (A/AAAA)");
    int afterMiss = dns.queries().size();
    assertThatThrownBy(() -> locator.locate(uri("nowhere.test", -1), Transport.UDP, BOUND))
        .isInstanceOf(LookupFailedException.class);
    assertThat(dns.queries()).hasSize(afterMiss);
  }

  @Test
  void aSilentNameServerIsATimeoutNamingTheLookup() {
    dns.handleWith(q -> null);
    assertThatThrownBy(() -> locator.locate(uri("carrier.test", -1), Transport.UDP, BOUND))
        .isInstanceOf(LookupFailedException.class)
        .hasMessageStartingWith(
            "DNS lookup of carrier.test (NAPTR): no answer from the name servers");
  }

  @Test
  void theBoundStopsTheNextQuery() {
    dns.handleWith(q -> null);
    assertThatThrownBy(() -> locator.locate(uri("pbx.test", 5060), Transport.UDP, Duration.ZERO))
        .hasMessage("DNS lookup of pbx.test (A) timed out after 0 s");
  }

  @Test
  void aTruncatedAnswerWithNoTcpServerIsAFailure() {
    dns.handleWith(
        q -> {
          Message m = FakeNameServer.reply(q);
          m.getHeader().setFlag(Flags.TC);
          return m.toWire();
        });
    assertThatThrownBy(() -> locator.locate(uri("carrier.test", -1), Transport.UDP, BOUND))
        .isInstanceOf(LookupFailedException.class)
        .hasMessageStartingWith(
            "DNS lookup of carrier.test (NAPTR): no answer from the name servers");
  }

  @Test
  void bytesThatAreNoDnsMessageAreAFailure() {
    dns.handleWith(q -> new byte[] {1, 2, 3});
    assertThatThrownBy(() -> locator.locate(uri("carrier.test", -1), Transport.UDP, BOUND))
        .isInstanceOf(LookupFailedException.class)
        .hasMessageStartingWith(
            "DNS lookup of carrier.test (NAPTR): no answer from the name servers");
  }

  @Test
  void answersOfTheWrongTypeAreIgnored() {
    dns.handleWith(
        q -> {
          Message m = FakeNameServer.reply(q);
          m.addRecord(
              new TXTRecord(q.getQuestion().getName(), DClass.IN, 60, "not what was asked"),
              Section.ANSWER);
          return m.toWire();
        });
    assertThatThrownBy(() -> locator.locate(uri("wrong.test", -1), Transport.UDP, BOUND))
        .hasMessage("DNS lookup of wrong.test: no address (A/AAAA)");
  }

  @Test
  void srvToANameWithoutAddressIsAFailureNamingTheTarget() {
    dns.add(srv("_sip._udp.hollow.test.", 1, 0, 5060, "ghost.hollow.test."));
    assertThatThrownBy(() -> locator.locate(uri("hollow.test", -1), Transport.UDP, BOUND))
        .hasMessage("DNS: no SRV target of hollow.test has an address (ghost.hollow.test)");
  }

  @Test
  void srvTargetDotMeansNoService() {
    dns.add(srv("_sip._udp.none.test.", 1, 0, 5060, "."));
    assertThatThrownBy(() -> locator.locate(uri("none.test", -1), Transport.UDP, BOUND))
        .hasMessageStartingWith("DNS: no SRV target of none.test has an address");
  }

  @Test
  void aCnameLoopIsAFailure() {
    dns.add(new CNAMERecord(n("loop.test."), DClass.IN, 60, n("pool.test.")))
        .add(new CNAMERecord(n("pool.test."), DClass.IN, 60, n("loop.test.")));
    assertThatThrownBy(() -> locator.locate(uri("loop.test", 5060), Transport.UDP, BOUND))
        .isInstanceOf(LookupFailedException.class)
        .hasMessageStartingWith("DNS lookup of loop.test (A) failed");
  }
}

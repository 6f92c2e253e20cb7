package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Failed;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.dns.FakeNameServer;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipUri;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * A name server that never answers, or answers garbage, fails only the call that waits for it, with
 * a status naming the lookup; the SIP thread every line shares is never the one waiting, so another
 * line of the same process places and ends calls throughout at its usual pace.
 */
class DnsIsolationTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  private static BackendConfig config(InetSocketAddress nameServer) {
    return BackendConfig.loopback()
        .options(
            Map.of(
                BackendOptions.DNS_SERVERS,
                "127.0.0.1:" + nameServer.getPort(),
                // The lines call each other directly, not through a registrar.
                BackendOptions.TRUSTED_SOURCES,
                "127.0.0.1"))
        .build();
  }

  /** A line registered at {@code registrar} (which answers everything 200). */
  private static SipAccount line(
      JainSipBackend backend,
      ScriptedSipPeer registrar,
      String user,
      RecordingSipEventListener events)
      throws InterruptedException {
    SipAccount account =
        backend.register(
            new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "x", user, null),
            events);
    events.next(Registered.class, WAIT);
    return account;
  }

  @Test
  void aSilentNameServerFailsOnlyTheCallThatWaitsForIt() throws Exception {
    try (ScriptedSipPeer registrar = registrar();
        DatagramSocket blackHole =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        JainSipBackend backend =
            JainSipBackend.start(config((InetSocketAddress) blackHole.getLocalSocketAddress()))) {
      Thread reader = new Thread(() -> drain(blackHole), "black-hole");
      reader.setDaemon(true);
      reader.start();
      RecordingSipEventListener stuckEvents = new RecordingSipEventListener();
      RecordingSipEventListener aliceEvents = new RecordingSipEventListener();
      RecordingSipEventListener bobEvents = new RecordingSipEventListener();
      SipAccount stuck = line(backend, registrar, "stuck", stuckEvents);
      SipAccount alice = line(backend, registrar, "alice", aliceEvents);
      line(backend, registrar, "bob", bobEvents);
      SipUri bob = SipUri.of("bob", "127.0.0.1", backend.sipPort());

      List<Long> before = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        before.add(LineToLineCall.callAndHangUp(alice, aliceEvents, bobEvents, bob));
      }
      long started = System.nanoTime();
      stuck.call(SipUri.of("bob", "some-carrier.test", -1), Map.of(), SILENCE);
      List<Long> during = new ArrayList<>();
      while (System.nanoTime() - started < SipContext.LOOKUP_BOUND.toNanos() - 1_000_000_000L) {
        during.add(LineToLineCall.callAndHangUp(alice, aliceEvents, bobEvents, bob));
      }
      Failed failed = stuckEvents.next(Failed.class, Duration.ofSeconds(12));
      double after = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "FIGURE dns-black-hole set-up before: %s; during the 8 s lookup: %s; lookup failed"
              + " after %.1f s: %s%n",
          millis(before), millis(during), after, failed.failure().describe());
      assertThat(failed.failure().describe())
          .isEqualTo("DNS lookup of some-carrier.test timed out after 8 s");
      assertThat(after).isBetween(7.5, 11.0);
      // Calls went on throughout; a SIP thread stuck in the lookup would have held each for 8 s.
      assertThat(during).hasSizeGreaterThanOrEqualTo(3);
      assertThat(during).allSatisfy(ns -> assertThat(ns).isLessThan(2_000_000_000L));
    }
  }

  private static ScriptedSipPeer registrar() throws Exception {
    ScriptedSipPeer registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    return registrar;
  }

  /** "n calls, p50 x ms, max y ms". */
  private static String millis(List<Long> nanos) {
    List<Long> sorted = nanos.stream().sorted().toList();
    return String.format(
        java.util.Locale.ROOT,
        "%d calls, p50 %.1f ms, max %.1f ms",
        sorted.size(),
        sorted.get(sorted.size() / 2) / 1e6,
        sorted.get(sorted.size() - 1) / 1e6);
  }

  private static void drain(DatagramSocket socket) {
    byte[] buf = new byte[2048];
    while (!socket.isClosed()) {
      try {
        socket.receive(new DatagramPacket(buf, buf.length));
      } catch (java.io.IOException e) {
        return;
      }
    }
  }

  @Test
  void garbageAnswersAreEachAClearCallFailureAndTheLineGoesOn() throws Exception {
    try (ScriptedSipPeer registrar = registrar();
        FakeNameServer dns = new FakeNameServer();
        JainSipBackend backend = JainSipBackend.start(config(dns.address()))) {
      RecordingSipEventListener aliceEvents = new RecordingSipEventListener();
      RecordingSipEventListener bobEvents = new RecordingSipEventListener();
      SipAccount alice = line(backend, registrar, "alice", aliceEvents);
      line(backend, registrar, "bob", bobEvents);
      SipUri bob = SipUri.of("bob", "127.0.0.1", backend.sipPort());
      Name loop = Name.fromConstantString("loop.test.");
      Name pool = Name.fromConstantString("pool.test.");
      dns.add(new CNAMERecord(loop, DClass.IN, 60, pool))
          .add(new CNAMERecord(pool, DClass.IN, 60, loop))
          .add(
              new SRVRecord(
                  Name.fromConstantString("_sip._udp.hollow.test."),
                  DClass.IN,
                  60,
                  1,
                  0,
                  5060,
                  Name.fromConstantString("ghost.hollow.test.")))
          .add(
              new TXTRecord(
                  Name.fromConstantString("wrong.test."), DClass.IN, 60, "not an address"));

      assertThat(failure(alice, aliceEvents, "loop.test"))
          .startsWith("DNS lookup of loop.test (NAPTR) failed");
      assertThat(failure(alice, aliceEvents, "hollow.test"))
          .isEqualTo("DNS: no SRV target of hollow.test has an address (ghost.hollow.test)");
      assertThat(failure(alice, aliceEvents, "wrong.test"))
          .isEqualTo("DNS lookup of wrong.test: no address (A/AAAA)");
      dns.handleWith(
          q -> {
            Message m = FakeNameServer.reply(q);
            m.getHeader().setFlag(Flags.TC);
            return m.toWire();
          });
      assertThat(failure(alice, aliceEvents, "truncated.test"))
          .startsWith("DNS lookup of truncated.test (NAPTR): no answer from the name servers");
      dns.handleWith(
          q -> {
            Message m = FakeNameServer.reply(q);
            try {
              m.addRecord(
                  new ARecord(
                      q.getQuestion().getName(),
                      DClass.IN,
                      60,
                      InetAddress.getByAddress(new byte[] {127, 0, 0, 1})),
                  Section.ANSWER);
            } catch (java.net.UnknownHostException e) {
              throw new IllegalStateException(e);
            }
            byte[] wire = m.toWire();
            return java.util.Arrays.copyOf(wire, wire.length - 7); // cut inside the answer
          });
      assertThat(failure(alice, aliceEvents, "cut.test"))
          .startsWith("DNS lookup of cut.test (NAPTR): no answer from the name servers");

      // The line is none the worse: a call by number still connects.
      LineToLineCall.callAndHangUp(alice, aliceEvents, bobEvents, bob);
    }
  }

  private static String failure(SipAccount caller, RecordingSipEventListener events, String domain)
      throws Exception {
    caller.call(SipUri.of("bob", domain, -1), Map.of(), SILENCE);
    return events.next(Failed.class, WAIT).failure().describe();
  }
}

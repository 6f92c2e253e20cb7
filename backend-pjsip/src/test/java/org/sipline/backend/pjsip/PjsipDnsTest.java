package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Dnsmasq;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * pjsua's resolver asks the name servers of {@code dns.servers} (ports included, which pjsua_init
 * alone cannot say): an account named by its domain alone registers at the registrar the domain's
 * SRV record names, first by priority.
 */
class PjsipDnsTest {
  private static final String DOMAIN = "sipline.test";
  private static final Duration BOUND = Duration.ofSeconds(15);

  @Test
  void theRegistrarIsLocatedThroughSrvAtTheConfiguredNameServer() throws Exception {
    NativeShimAvailable.assume();
    try (Kamailio first =
            Kamailio.start(KamailioOptions.defaults().withDomain(DOMAIN).withUser("alice", "pw"));
        Kamailio second =
            Kamailio.start(KamailioOptions.defaults().withDomain(DOMAIN).withUser("alice", "pw"));
        Dnsmasq dns =
            Dnsmasq.start(
                DOMAIN,
                List.of(
                    "--srv-host=_sip._udp."
                        + DOMAIN
                        + ",a."
                        + DOMAIN
                        + ","
                        + first.port()
                        + ",10,0",
                    "--srv-host=_sip._udp."
                        + DOMAIN
                        + ",b."
                        + DOMAIN
                        + ","
                        + second.port()
                        + ",20,0",
                    "--host-record=a." + DOMAIN + ",127.0.0.1",
                    "--host-record=b." + DOMAIN + ",127.0.0.1"))) {
      PjsipBackend backend =
          (PjsipBackend)
              new PjsipBackendProvider()
                  .create(
                      BackendConfig.loopback()
                          .options(Map.of(PjsipBackend.OPTION_DNS_SERVERS, dns.address()))
                          .build());
      try {
        RecordingListener alice = new RecordingListener();
        backend.register(
            new AccountSpec(SipUri.of("alice", DOMAIN, -1), "pw", "alice", null), alice);
        assertThat(alice.next(BOUND)).matches("registered \\d+");
        assertThat(first.isRegistered("alice")).isTrue();
        assertThat(second.isRegistered("alice")).isFalse();
        assertThat(dns.queries()).anyMatch(q -> q.contains("_sip._udp." + DOMAIN));
      } finally {
        backend.close();
      }
    }
  }
}

package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NameServersTest {
  @Test
  void addressesWithAndWithoutPortsIpv6Bracketed() {
    NameServers s = NameServers.parse("dns.servers", "127.0.0.1:5353, 10.0.0.2,[::1]:54");
    assertThat(s.hosts()).containsExactly("127.0.0.1", "10.0.0.2", "::1");
    assertThat(s.ports()).containsExactly(5353, 53, 54);
  }

  @Test
  void noneIsEmpty() {
    assertThat(NameServers.parse("dns.servers", null).hosts()).isEmpty();
    assertThat(NameServers.parse("dns.servers", " ").ports()).isEmpty();
  }

  @Test
  void aNameABadPortOrTooManyAreRefusedNamingTheEntry() {
    assertThatThrownBy(() -> NameServers.parse("dns.servers", "ns.example"))
        .hasMessage(
            "option 'dns.servers': name server 'ns.example': 'ns.example' is not a numeric IPv4"
                + " or IPv6 address");
    assertThatThrownBy(() -> NameServers.parse("dns.servers", "127.0.0.1:0"))
        .hasMessage("option 'dns.servers': name server '127.0.0.1:0': port '0' is not 1..65535");
    assertThatThrownBy(
            () -> NameServers.parse("dns.servers", "1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5"))
        .hasMessage("option 'dns.servers': 5 name servers; pjsip takes at most 4");
  }
}

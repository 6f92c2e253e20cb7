package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one rule both backends keep strangers out by (each asks it in its own way). */
class TrustedSourcesTest {
  private static final String OPTION = TrustedSources.OPTION;

  @Test
  void noOptionTrustsNoOneBeyondTheAccountsHosts() throws Exception {
    TrustedSources t = TrustedSources.parse(OPTION, null);
    assertThat(t.anyone()).isFalse();
    assertThat(t.addresses(List.of())).isEmpty();
    assertThat(t.admits(InetAddress.getByName("127.0.0.2"), List.of())).isFalse();
    assertThat(t.toString()).isEqualTo("registrars, outbound proxies");
  }

  @Test
  void addressesAreTakenWithAnySeparatorAndIpv6InBrackets() throws Exception {
    TrustedSources t = TrustedSources.parse(OPTION, "127.0.0.2;127.0.0.3, [::1] 10.0.0.1");
    assertThat(t.anyone()).isFalse();
    assertThat(t.addresses(List.of()))
        .containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3", "0:0:0:0:0:0:0:1", "10.0.0.1");
    assertThat(t.admits(InetAddress.getByName("::1"), List.of())).isTrue();
    assertThat(t.admits(InetAddress.getByName("127.0.0.4"), List.of())).isFalse();
    assertThat(t.toString()).contains("127.0.0.2").contains("10.0.0.1");
  }

  @Test
  void starIsAnyoneEvenAnUnknownSender() {
    TrustedSources t = TrustedSources.parse(OPTION, "*");
    assertThat(t.anyone()).isTrue();
    assertThat(t.admits(null, List.of())).isTrue();
    assertThat(t.toString()).isEqualTo("*");
  }

  @Test
  void anUnknownSenderIsAStranger() {
    assertThat(TrustedSources.registrarsOnly().admits(null, List.of(account("127.0.0.1", null))))
        .isFalse();
  }

  @Test
  void theHostsOfRegistrarsAndOutboundProxiesAreTrusted() throws Exception {
    TrustedSources t = TrustedSources.registrarsOnly();
    List<SipAccount> accounts =
        List.of(account("127.0.0.5", null), account("127.0.0.6", SipUri.of(null, "[::1]", 5070)));
    assertThat(t.admits(InetAddress.getByName("127.0.0.5"), accounts)).isTrue();
    assertThat(t.admits(InetAddress.getByName("::1"), accounts)).as("proxy, IPv6").isTrue();
    assertThat(t.admits(InetAddress.getByName("127.0.0.6"), accounts)).isTrue();
    assertThat(t.admits(InetAddress.getByName("127.0.0.7"), accounts)).isFalse();
    assertThat(t.addresses(accounts))
        .containsExactlyInAnyOrder("127.0.0.5", "127.0.0.6", "0:0:0:0:0:0:0:1");
  }

  @Test
  void aHostNameIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> TrustedSources.parse(OPTION, "127.0.0.2;pbx.example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trusted.sources")
        .hasMessageContaining("pbx.example.com");
  }

  @Test
  void somethingShapedLikeAnAddressThatIsNoneIsRefused() {
    assertThatThrownBy(() -> TrustedSources.parse(OPTION, "1:2:3:4:5:6:7:8:9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trusted.sources")
        .hasMessageContaining("is not an IP address");
  }

  private static SipAccount account(String registrar, SipUri proxy) {
    AccountSpec spec =
        new AccountSpec(SipUri.of("bot", registrar, 5060), "secret", "bot", proxy, 1);
    return new SipAccount() {
      @Override
      public AccountSpec spec() {
        return spec;
      }

      @Override
      public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
        throw new UnsupportedOperationException("not called by TrustedSources");
      }

      @Override
      public void unregister() {}
    };
  }
}

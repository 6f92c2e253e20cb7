package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.sip.SipAddresses;

/** SipUri's one factory: whoever builds one, it passed the rules SipAddresses reads requests by. */
class SipUriTest {
  @Test
  void wellFormedPartsMakeAUriThatParsesBackEqual() {
    SipUri u = SipUri.of("SIPS", "+4930%23", "PBX.Example.org", 5061, ";user=phone;transport=tcp");
    assertThat(u.scheme()).isEqualTo("sips");
    assertThat(u.host()).isEqualTo("pbx.example.org");
    assertThat(u.toString())
        .isEqualTo("sips:+4930%23@pbx.example.org:5061;user=phone;transport=tcp");
    assertThat(SipAddresses.parseTarget("t", u.toString(), null)).isEqualTo(u);
    assertThat(u).hasSameHashCodeAs(SipAddresses.parseTarget("t", u.toString(), null));
    assertThat(SipUri.of(null, "[::1]", -1).withoutUser())
        .isEqualTo(SipUri.of("sip", null, "[::1]", -1, null));
    assertThat(u).isNotEqualTo(u.withoutUser());
  }

  @Test
  void eachBadPartIsRefusedNamingIt() {
    assertRefused(() -> SipUri.of("tel", "1", "a.example", -1, ""), "sip_uri.scheme");
    assertRefused(() -> SipUri.of("sip", "a b", "a.example", -1, ""), "sip_uri.user");
    assertRefused(() -> SipUri.of("sip", "a\r\nVia: x", "a.example", -1, ""), "sip_uri.user");
    assertRefused(() -> SipUri.of("sip", "", "a.example", -1, ""), "sip_uri.user");
    assertRefused(() -> SipUri.of("sip", "a", "a_b.example", -1, ""), "sip_uri.host");
    assertRefused(() -> SipUri.of("sip", "a", "::1", -1, ""), "sip_uri.host");
    assertRefused(() -> SipUri.of("sip", "a", "a.example", 0, ""), "sip_uri.port");
    assertRefused(() -> SipUri.of("sip", "a", "a.example", 65536, ""), "sip_uri.port");
    assertRefused(() -> SipUri.of("sip", "a", "a.example", -1, "user=phone"), "sip_uri.params");
    assertRefused(() -> SipUri.of("sip", "a", "a.example", -1, ";lr;lr"), "sip_uri.params");
  }

  private static void assertRefused(Runnable make, String field) {
    assertThatThrownBy(make::run)
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(field);
  }
}

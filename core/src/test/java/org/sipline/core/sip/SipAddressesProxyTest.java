package org.sipline.core.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.spi.SipUri;

class SipAddressesProxyTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      proxy.example.org                  | sip:proxy.example.org
      proxy.example.org:5070             | sip:proxy.example.org:5070
      127.0.0.1:5070                     | sip:127.0.0.1:5070
      [::1]:5070                         | sip:[::1]:5070
      sip:proxy.example.org;lr           | sip:proxy.example.org;lr
      sip:proxy.example.org:5060;lr      | sip:proxy.example.org:5060;lr
      sips:proxy.example.org;transport=tls;lr | sips:proxy.example.org;transport=tls;lr
      """)
  void acceptsProxyForms(String input, String expected) {
    SipUri uri = SipAddresses.parseProxy("outbound_proxy", input);
    assertThat(uri.toString()).isEqualTo(expected);
    assertThat(uri.user()).isNull();
    assertThat(SipAddresses.parseProxy("outbound_proxy", uri.toString())).isEqualTo(uri);
  }

  @Test
  void emptyMeansNoProxy() {
    assertThat(SipAddresses.parseProxy("outbound_proxy", null)).isNull();
    assertThat(SipAddresses.parseProxy("outbound_proxy", "")).isNull();
    assertThat(SipAddresses.parseProxy("outbound_proxy", "   ")).isNull();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      sip:bob@proxy.example.org          | outbound_proxy: user part not allowed in an outbound proxy in 'sip:bob@proxy.example.org'
      proxy.example.org:0                | outbound_proxy: port 0 out of range 1..65535
      tel:+43                            | outbound_proxy: an outbound proxy must be a SIP address, not tel: in 'tel:+43'
      http://proxy                       | outbound_proxy: unsupported URI scheme 'http' (use sip:, sips: or tel:)
      sip:proxy.example.org;lr?x=y       | outbound_proxy: URI headers ('?...') not allowed in 'sip:proxy.example.org;lr?x=y'
      """)
  void refusesWithFieldAndReason(String input, String message) {
    assertThatThrownBy(() -> SipAddresses.parseProxy("outbound_proxy", input))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void crLfIsRefusedEvenThoughItIsBlank() {
    assertThatThrownBy(() -> SipAddresses.parseProxy("outbound_proxy", "\r\n"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("outbound_proxy: CR/LF not allowed");
  }
}

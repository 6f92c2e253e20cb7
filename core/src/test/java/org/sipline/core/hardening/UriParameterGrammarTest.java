package org.sipline.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.spi.SipUri;

/**
 * A URI parameter is RFC 3261 {@code paramchar}, not {@code token}: the two differ in '`', which
 * the property test found passing into a Request-URI that JAIN-SIP and strict peers refuse.
 */
class UriParameterGrammarTest {
  private static final SipUri ACCOUNT = SipUri.of("sip", "bot", "pbx.example.org", -1, "");

  @Test
  void aBacktickInAUriParameterNameOrValueIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                SipAddresses.parseTarget("callee_id", "alice@example.org;`transport=tcp", ACCOUNT))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("callee_id: ")
        .hasMessageContaining("'`' not allowed");
    assertThatThrownBy(
            () -> SipAddresses.parseTarget("callee_id", "sip:alice@example.org;x=a`b", ACCOUNT))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("'`' not allowed");
  }

  @Test
  void theOtherTokenCharactersStayAllowedInUriParameters() {
    assertThat(
            SipAddresses.parseTarget(
                    "callee_id", "sip:alice@example.org;x-a.b!c*d_e+f'g~h=1", ACCOUNT)
                .params())
        .isEqualTo(";x-a.b!c*d_e+f'g~h=1");
  }
}

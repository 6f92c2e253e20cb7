package org.sipline.core.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.spi.SipUri;

class SipAddressesTargetTest {
  private static final SipUri ACCOUNT =
      SipAddresses.parseAccount("account_name", "bot@pbx.example.org:5080");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      alice                              | sip:alice@pbx.example.org:5080
      100                                | sip:100@pbx.example.org:5080
      alice@example.com                  | sip:alice@example.com
      alice@example.com:5070             | sip:alice@example.com:5070
      alice@[::1]:5070                   | sip:alice@[::1]:5070
      alice@example.com;transport=tcp    | sip:alice@example.com;transport=tcp
      sip:alice@example.com              | sip:alice@example.com
      sip:example.com                    | sip:example.com
      sips:alice@example.com:5061        | sips:alice@example.com:5061
      Sip:alice@Example.com;transport=TCP;lr | sip:alice@example.com;transport=TCP;lr
      sip:alice@example.com;maddr=[::1];ttl=5 | sip:alice@example.com;maddr=[::1];ttl=5
      sip:alice@example.com;x-id=a%41b   | sip:alice@example.com;x-id=a%41b
      tel:+43123456                      | sip:+43123456@pbx.example.org:5080;user=phone
      tel:+43-1-234-56;ext=7             | sip:+43123456;ext=7@pbx.example.org:5080;user=phone
      tel:01234;phone-context=+43        | sip:01234;phone-context=+43@pbx.example.org:5080;user=phone
      +43 1 234-56                       | sip:+43123456@pbx.example.org:5080;user=phone
      (01) 234 56                        | sip:0123456@pbx.example.org:5080;user=phone
      +4312                              | sip:+4312@pbx.example.org:5080;user=phone
      0043.1.23                          | sip:0043123@pbx.example.org:5080;user=phone
      sip:+43123@gw.example.org;user=phone | sip:+43123@gw.example.org;user=phone
      """)
  void acceptsTargetForms(String input, String expected) {
    SipUri uri = SipAddresses.parseTarget("callee_id", input, ACCOUNT);
    assertThat(uri.toString()).isEqualTo(expected);
    assertThat(SipAddresses.parseTarget("callee_id", uri.toString(), ACCOUNT)).isEqualTo(uri);
  }

  @Test
  void telParametersBecomePartOfTheUserPart() {
    SipUri uri = SipAddresses.parseTarget("callee_id", "tel:+43-1-234-56;ext=7", ACCOUNT);
    assertThat(uri.user()).isEqualTo("+43123456;ext=7");
    assertThat(uri.params()).isEqualTo(";user=phone");
    assertThat(uri.toString()).isEqualTo("sip:+43123456;ext=7@pbx.example.org:5080;user=phone");
  }

  @Test
  void relativeTargetsTakeTheAccountsScheme() {
    SipUri secure = SipAddresses.parseAccount("account_name", "sips:bot@example.org");
    assertThat(SipAddresses.parseTarget("callee_id", "alice", secure).toString())
        .isEqualTo("sips:alice@example.org");
    assertThat(SipAddresses.parseTarget("callee_id", "+43 1", secure).toString())
        .isEqualTo("sips:+431@example.org;user=phone");
  }

  @Test
  void relativeTargetWithoutAccountIsRefused() {
    assertThatThrownBy(() -> SipAddresses.parseTarget("transfer_id", "alice", null))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("transfer_id: no host, and no account to take it from in 'alice'");
    assertThat(SipAddresses.parseTarget("transfer_id", "alice@example.org", null).toString())
        .isEqualTo("sip:alice@example.org");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ''                                 | callee_id: empty
      sip:                               | callee_id: host missing in 'sip:'
      alice@example.com:70000            | callee_id: port 70000 out of range 1..65535
      alice@example.com:99999999999999999 | callee_id: port '99999999999999999' out of range 1..65535
      alice smith                        | callee_id: space not allowed in user part 'alice smith'
      alice smith@example.com            | callee_id: space not allowed in user part 'alice smith'
      <sip:alice@example.com>            | callee_id: character '<' not allowed in user part '<sip:alice' (escape it as %3C)
      example.com:5060                   | callee_id: no user part (expected user, user@host[:port], a sip:, sips: or tel: URI, or a phone number) in 'example.com:5060'
      sip:alice@example.com;;lr          | callee_id: empty URI parameter in 'sip:alice@example.com;;lr'
      sip:alice@example.com;=x           | callee_id: URI parameter '=x' has no name
      sip:alice@example.com;transport=   | callee_id: URI parameter 'transport' has an empty value
      sip:alice@example.com;lr;LR        | callee_id: URI parameter 'LR' given twice
      sip:alice@example.com;a=b/c        | callee_id: value of URI parameter 'a' 'b/c': character '/' not allowed
      sip:alice@example.com;a%=b         | callee_id: URI parameter name 'a%': '%' not followed by two hex digits
      sip:alice@example.com;a=%0a        | callee_id: value of URI parameter 'a' '%0a': escaped control character %0a not allowed
      sip:alice@example.com;ttl=256      | callee_id: ttl '256' is not a number 0..255
      sip:alice@example.com;maddr=a_b    | callee_id: character '_' not allowed in host name 'a_b'
      sip:alice@example.com?Subject=hi   | callee_id: URI headers ('?...') not allowed in 'sip:alice@example.com?Subject=hi'
      tel:                               | callee_id: phone number missing in 'tel:'
      tel:abc                            | callee_id: phone number 'abc' may hold only digits, a leading '+' and the separators - . ( ) and space
      tel:+43;ext=1;EXT=2                | callee_id: tel: parameter 'EXT' given twice
      tel:+43;=1                         | callee_id: tel: parameter without a name in 'tel:+43;=1'
      tel:+43;ext=                       | callee_id: tel: parameter 'ext' has an empty value
      tel:+43;a=<                        | callee_id: character '<' not allowed in user part '+43;a=<' (escape it as %3C)
      +123456789012345678901234567890123 | callee_id: phone number has 33 digits > 32
      mailto:alice@example.com           | callee_id: unsupported URI scheme 'mailto' (use sip:, sips: or tel:)
      """)
  void refusesWithFieldAndReason(String input, String message) {
    assertThatThrownBy(() -> SipAddresses.parseTarget("callee_id", input, ACCOUNT))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void refusesCrLfSmuggledIntoATarget() {
    assertThatThrownBy(
            () ->
                SipAddresses.parseTarget(
                    "callee_id", "alice@example.com\r\nContact: <sip:evil@example.com>", ACCOUNT))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("callee_id: CR/LF not allowed");
  }
}

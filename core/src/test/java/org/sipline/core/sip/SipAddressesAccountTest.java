package org.sipline.core.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.spi.SipUri;

class SipAddressesAccountTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      bot@example.org                | sip:bot@example.org
      bot@127.0.0.1:5080             | sip:bot@127.0.0.1:5080
      sip:bot@example.org            | sip:bot@example.org
      SIP:bot@Example.ORG            | sip:bot@example.org
      sips:bot@example.org:5061      | sips:bot@example.org:5061
      bot@[::1]:5070                 | sip:bot@[::1]:5070
      bot@[2001:DB8::1]              | sip:bot@[2001:db8::1]
      bot@[::ffff:192.0.2.1]         | sip:bot@[::ffff:192.0.2.1]
      '  bot@example.org  '          | sip:bot@example.org
      Bot.Name+1@example.org.        | sip:Bot.Name+1@example.org.
      a%20b@example.org              | sip:a%20b@example.org
      alice;day=tuesday@atlanta.com  | sip:alice;day=tuesday@atlanta.com
      bot@x                          | sip:bot@x
      bot@a-b.c0.example             | sip:bot@a-b.c0.example
      """)
  void acceptsAccountForms(String input, String expected) {
    SipUri uri = SipAddresses.parseAccount("account_name", input);
    assertThat(uri.toString()).isEqualTo(expected);
    assertThat(SipAddresses.parseAccount("account_name", uri.toString())).isEqualTo(uri);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      bot@127.0.0.1:5080  | bot | 127.0.0.1    | 5080
      bot@[::1]:5070      | bot | [::1]        | 5070
      bot@example.org     | bot | example.org  | -1
      """)
  void splitsUserHostAndPort(String input, String user, String host, int port) {
    SipUri uri = SipAddresses.parseAccount("account_name", input);
    assertThat(uri).isEqualTo(SipUri.of("sip", user, host, port, ""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ''                        | account_name: empty
      '   '                     | account_name: empty
      bot@                      | account_name: host missing in 'bot@'
      @example.org              | account_name: user part missing in '@example.org'
      example.org               | account_name: user part missing (expected user@host) in 'example.org'
      sip:example.org           | account_name: user part missing (expected user@host) in 'sip:example.org'
      bot@example.org:70000     | account_name: port 70000 out of range 1..65535
      bot@example.org:0         | account_name: port 0 out of range 1..65535
      bot@example.org:          | account_name: port missing after ':' in 'bot@example.org:'
      bot@example.org:5x        | account_name: port '5x' is not a number
      bot@::1                   | account_name: IPv6 address '::1' must be in brackets, e.g. [::1]:5060
      bot@[::1                  | account_name: IPv6 reference '[::1' lacks ']' in 'bot@[::1'
      bot@[::1]x                | account_name: unexpected 'x' after IPv6 reference '[::1]' in 'bot@[::1]x'
      bot@[1::2::3]             | account_name: IPv6 address '[1::2::3]': '::' may appear only once
      bot@[1:2:3:4:5:6:7]       | account_name: IPv6 address '[1:2:3:4:5:6:7]' has 7 groups, not 8
      bot@[fe80::1%eth0]        | account_name: IPv6 address '[fe80::1%eth0]': a zone index ('%') is not allowed
      bot@[12345::]             | account_name: IPv6 address '[12345::]' has a bad group '12345'
      bot@256.1.1.1             | account_name: IPv4 address '256.1.1.1': octet 256 > 255
      bot@1.2.3                 | account_name: IPv4 address '1.2.3' has 3 parts, not 4 (a host name's last label must start with a letter)
      bot@01.2.3.4              | account_name: IPv4 address '01.2.3.4': octet '01' has a leading zero
      bot@exa_mple.org          | account_name: character '_' not allowed in host name 'exa_mple.org'
      bot@-a.org                | account_name: host name '-a.org': label '-a' starts or ends with '-'
      bot@a..org                | account_name: host name 'a..org' has an empty label
      bot@example.123           | account_name: host name 'example.123': last label '123' must start with a letter
      b ot@example.org          | account_name: space not allowed in user part 'b ot'
      b#t@example.org           | account_name: character '#' not allowed in user part 'b#t' (escape it as %23)
      sip:bot:pw@example.org    | account_name: ':' in user part 'bot:pw' (a password in the address is not accepted)
      b%4@example.org           | account_name: '%' not followed by two hex digits in user part 'b%4'
      b%0D@example.org          | account_name: escaped control character %0D not allowed in user part 'b%0D'
      a@b@example.org           | account_name: '@' appears more than once in 'a@b@example.org'
      bot@example.org;transport=tcp | account_name: URI parameters not allowed in an account name in 'bot@example.org;transport=tcp'
      sip:bot@example.org?Subject=x | account_name: URI headers ('?...') not allowed in 'sip:bot@example.org?Subject=x'
      tel:+43123                | account_name: an account must be a SIP address, not tel: in 'tel:+43123'
      http://example.org        | account_name: unsupported URI scheme 'http' (use sip:, sips: or tel:)
      bot@bücher.de             | account_name: non-ASCII character U+00FC not allowed in 'bot@b\\u00FCcher.de'
      """)
  void refusesWithFieldAndReason(String input, String message) {
    assertThatThrownBy(() -> SipAddresses.parseAccount("account_name", input))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(message)
        .extracting(e -> ((InvalidArgumentException) e).field())
        .isEqualTo("account_name");
  }

  @Test
  void refusesControlCharacters() {
    Map<String, String> cases =
        Map.of(
            "bot@example.org\r\nVia: x", "account_name: CR/LF not allowed",
            "bot@exam\nple.org", "account_name: CR/LF not allowed",
            "bot@example.org\0", "account_name: NUL not allowed",
            "bot\t@example.org", "account_name: control character U+0009 not allowed",
            "bot@example.org\u007f", "account_name: control character U+007F not allowed");
    cases.forEach(
        (input, message) ->
            assertThatThrownBy(() -> SipAddresses.parseAccount("account_name", input))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage(message));
  }

  @Test
  void refusesNullAndOverlongInput() {
    assertThatThrownBy(() -> SipAddresses.parseAccount("account_name", null))
        .hasMessage("account_name: empty");
    String longName = "bot@" + "a".repeat(SipAddresses.MAX_LENGTH);
    assertThatThrownBy(() -> SipAddresses.parseAccount("account_name", longName))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("account_name: length 1028 > 1024");
  }

  @Test
  void enforcesDnsLengths() {
    String label64 = "a".repeat(64);
    assertThatThrownBy(() -> SipAddresses.parseAccount("account_name", "bot@" + label64 + ".org"))
        .hasMessageEndingWith("has a label of 64 characters > 63");
    String name254 = ("a".repeat(49) + ".").repeat(5) + "abcd";
    assertThat(name254).hasSize(254);
    assertThatThrownBy(() -> SipAddresses.parseAccount("account_name", "bot@" + name254))
        .hasMessageEndingWith("is 254 characters long > 253");
    String name253 = name254.substring(1);
    assertThat(SipAddresses.parseAccount("account_name", "bot@" + name253).host())
        .isEqualTo(name253);
  }

  @Test
  void errorMessagesEscapeAndShortenTheValue() {
    String junk = "bot@" + "x".repeat(200) + "_";
    assertThatThrownBy(() -> SipAddresses.parseAccount("account_name", junk))
        .hasMessageContaining("…(201 chars)")
        .hasMessageNotContaining("x".repeat(65));
  }
}

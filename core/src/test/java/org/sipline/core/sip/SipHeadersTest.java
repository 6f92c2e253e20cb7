package org.sipline.core.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipline.core.InvalidArgumentException;

class SipHeadersTest {

  @Test
  void keepsOrderTrimsValuesAndReturnsAnUnmodifiableCopy() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("X-Zeta", "  1 ");
    in.put("X-Alpha", "\ttwo\t words ");
    in.put("Subject", "héllo ☎");
    in.put("X-Empty", "");
    Map<String, String> out = SipHeaders.checkExtraHeaders("headers", in);
    assertThat(out)
        .containsExactly(
            Map.entry("X-Zeta", "1"),
            Map.entry("X-Alpha", "two\t words"),
            Map.entry("Subject", "héllo ☎"),
            Map.entry("X-Empty", ""));
    in.put("X-Later", "x");
    assertThat(out).doesNotContainKey("X-Later");
    assertThatThrownBy(() -> out.put("X-New", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullOrEmptyMeansNoHeaders() {
    assertThat(SipHeaders.checkExtraHeaders("headers", null)).isEmpty();
    assertThat(SipHeaders.checkExtraHeaders("headers", Map.of())).isEmpty();
  }

  @Test
  void acceptsEveryTokenCharacterInNames() {
    String name = "aZ09-.!%*_+`'~";
    assertThat(SipHeaders.checkExtraHeaders("headers", Map.of(name, "v"))).containsKey(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Via",
        "via",
        "v",
        "V",
        "From",
        "f",
        "To",
        "t",
        "Call-ID",
        "call-id",
        "i",
        "CSeq",
        "Contact",
        "m",
        "Max-Forwards",
        "Content-Length",
        "l",
        "Content-Type",
        "c",
        "Route",
        "Record-Route",
        "Authorization",
        "Proxy-Authorization",
        "PROXY-AUTHORIZATION"
      })
  void refusesHeadersTheStackOwns(String name) {
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of(name, "x")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("headers[\"" + name + "\"]: would override ")
        .hasMessageEndingWith(", which the SIP stack sets itself");
  }

  @Test
  void namesTheFullHeaderWhenACompactFormIsRefused() {
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of("i", "x")))
        .hasMessage("headers[\"i\"]: would override Call-ID, which the SIP stack sets itself");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Subject",
        "s",
        "Supported",
        "k",
        "e",
        "Content-Encoding",
        "X-Foo",
        "Referred-By",
        "User-Agent",
        "P-Asserted-Identity",
        "Reason"
      })
  void allowsHeadersTheStackDoesNotOwn(String name) {
    assertThat(SipHeaders.checkExtraHeaders("headers", Map.of(name, "x"))).containsKey(name);
  }

  @Test
  void refusesNamesThatAreNotTokens() {
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of("X Foo", "x")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(
            "headers[\"X Foo\"]: name is not a token"
                + " (letters, digits and - . ! % * _ + ` ' ~ only)");
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of("X-Foo:", "x")))
        .hasMessageStartingWith("headers[\"X-Foo:\"]: name is not a token");
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of("", "x")))
        .hasMessage("headers[\"\"]: name empty");
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of("Xé", "x")))
        .hasMessageStartingWith("headers[\"X\\u00E9\"]: name is not a token");
  }

  @Test
  void escapesCrLfInTheNameShownInTheError() {
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of("X-A\r\nVia", "x")))
        .hasMessage(
            "headers[\"X-A\\r\\nVia\"]: name is not a token"
                + " (letters, digits and - . ! % * _ + ` ' ~ only)");
  }

  @Test
  void refusesNullNameAndNullValue() {
    Map<String, String> nullName = new HashMap<>();
    nullName.put(null, "x");
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", nullName))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("headers[null]: name empty");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("X-Foo", null);
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", nullValue))
        .hasMessage("headers[\"X-Foo\"]: value missing (null)");
  }

  @Test
  void refusesControlCharactersInValues() {
    Map<String, String> cases =
        Map.of(
            "a\r\nVia: SIP/2.0/UDP evil", "headers[\"X-Foo\"]: CR/LF not allowed in value",
            "a\nb", "headers[\"X-Foo\"]: CR/LF not allowed in value",
            "a\rb", "headers[\"X-Foo\"]: CR/LF not allowed in value",
            "a\0b", "headers[\"X-Foo\"]: NUL not allowed in value",
            "a\u0007b", "headers[\"X-Foo\"]: control character U+0007 not allowed in value",
            "a\u007fb", "headers[\"X-Foo\"]: control character U+007F not allowed in value",
            "a\u0085b", "headers[\"X-Foo\"]: control character U+0085 not allowed in value",
            "a\u2028b", "headers[\"X-Foo\"]: line separator U+2028 not allowed in value",
            "a\ud800b", "headers[\"X-Foo\"]: unpaired surrogate U+D800 not allowed in value",
            "a\udc00", "headers[\"X-Foo\"]: unpaired surrogate U+DC00 not allowed in value");
    cases.forEach(
        (value, message) ->
            assertThatThrownBy(
                    () -> SipHeaders.checkExtraHeaders("headers", Map.of("X-Foo", value)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage(message));
  }

  @Test
  void refusesTheSameNameTwiceIgnoringCase() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("X-Foo", "1");
    in.put("x-foo", "2");
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", in))
        .hasMessage("headers[\"x-foo\"]: same header as \"X-Foo\" (names are case-insensitive)");
  }

  @Test
  void enforcesTheDocumentedLimits() {
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i <= SipHeaders.MAX_COUNT; i++) {
      many.put("X-H" + i, "v");
    }
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", many))
        .hasMessage("headers: 65 headers > 64");
    many.remove("X-H0");
    assertThat(SipHeaders.checkExtraHeaders("headers", many)).hasSize(64);

    String longName = "X-" + "a".repeat(SipHeaders.MAX_NAME_LENGTH);
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of(longName, "v")))
        .hasMessageEndingWith("]: name length 130 > 128");
    String longValue = "v".repeat(SipHeaders.MAX_VALUE_LENGTH + 1);
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of("X-A", longValue)))
        .hasMessage("headers[\"X-A\"]: value length 1025 > 1024");

    Map<String, String> bulky = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      bulky.put("X-" + i, "v".repeat(1000));
    }
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", bulky))
        .hasMessage("headers: names and values exceed 4096 characters in all");
  }

  @Test
  void listsTheProtectedHeadersInFullForm() {
    assertThat(SipHeaders.protectedHeaders())
        .containsExactlyInAnyOrder(
            "Via",
            "From",
            "To",
            "Call-ID",
            "CSeq",
            "Contact",
            "Max-Forwards",
            "Content-Length",
            "Content-Type",
            "Route",
            "Record-Route",
            "Authorization",
            "Proxy-Authorization",
            "Refer-To");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Refer-To", "refer-to", "r"})
  void refusesReferToWhichTransferIdSets(String name) {
    assertThatThrownBy(() -> SipHeaders.checkExtraHeaders("headers", Map.of(name, "sip:x@y")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Refer-To");
  }
}

package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Literal addresses read without DNS; anything else, host names first, refused. */
class LiteralAddressTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "::1, 0:0:0:0:0:0:0:1",
    "::, 0:0:0:0:0:0:0:0",
    "2001:db8::7, 2001:db8:0:0:0:0:0:7",
    "2001:DB8:0:0:8:800:200C:417A, 2001:db8:0:0:8:800:200c:417a",
    "fe80::, fe80:0:0:0:0:0:0:0",
    "::ffff:192.0.2.1, 192.0.2.1",
    "64:ff9b::192.0.2.33, 64:ff9b:0:0:0:0:c000:221",
  })
  void readsLiterals(String text, String expected) throws Exception {
    InetAddress parsed = LiteralAddress.parse(text);
    assertThat(parsed.getHostAddress()).isEqualTo(expected);
    assertThat(parsed).isEqualTo(InetAddress.getByName(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "media.example.com",
        "example",
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        "01.2.3.4",
        "1.2.3.-4",
        "1..2.3",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::",
        "::g",
        ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8::",
        "[::1]",
        "fe80::1%eth0",
        "::1.2.3",
        "1:2:3:4:5:6:7:1.2.3.4",
        "",
        "١٢٧.0.0.1"
      })
  void refusesEverythingElseNamingIt(String text) {
    assertThatThrownBy(() -> LiteralAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'"
                + text
                + "' is not a literal IPv4 or IPv6 address (host names are not"
                + " resolved)");
  }
}

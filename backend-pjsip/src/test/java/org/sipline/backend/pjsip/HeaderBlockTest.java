package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderBlockTest {
  @Test
  void headersAreReadInOrderWithRepeatedNamesJoined() {
    String block =
        "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK1\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK2\r\n"
            + "X-Campaign: spring: 2024\r\n";

    assertThat(HeaderBlock.parse(block))
        .containsExactly(
            org.assertj.core.api.Assertions.entry(
                "Via",
                "SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK1, SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK2"),
            org.assertj.core.api.Assertions.entry("X-Campaign", "spring: 2024"));
  }

  @Test
  void linesWithoutANameAreSkipped() {
    assertThat(HeaderBlock.parse(": nameless\r\nno colon here\r\n\r\nA: b")).containsOnlyKeys("A");
  }
}

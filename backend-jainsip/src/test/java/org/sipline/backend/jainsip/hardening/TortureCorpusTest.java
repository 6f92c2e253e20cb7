package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The torture corpus is complete and each message is the RFC's, byte for byte. */
class TortureCorpusTest {
  @Test
  void rfc4475HasAllFortyNineMessagesOfSections3Point1To3Point4() {
    List<TortureMessage> messages = TortureCorpus.rfc4475();
    assertThat(messages).hasSize(49);
    assertThat(messages).filteredOn(m -> m.section().startsWith("3.1.1.")).hasSize(13);
    assertThat(messages).filteredOn(m -> m.section().startsWith("3.1.2.")).hasSize(19);
    assertThat(messages).filteredOn(m -> m.section().startsWith("3.2.")).hasSize(1);
    assertThat(messages).filteredOn(m -> m.section().startsWith("3.3.")).hasSize(15);
    assertThat(messages).filteredOn(m -> m.section().startsWith("3.4.")).hasSize(1);
    assertThat(messages).extracting(TortureMessage::name).doesNotHaveDuplicates();
  }

  @Test
  void rfc5118HasItsTwelveMessages() {
    assertThat(TortureCorpus.rfc5118())
        .hasSize(12)
        .extracting(TortureMessage::name)
        .contains("ipv6-good", "ipv6-bad");
  }

  @Test
  void theNotationKeepsWhatAnEditorWouldLose() {
    TortureMessage trws = byName("trws");
    assertThat(trws.text()).startsWith("OPTIONS sip:remote-target@example.com SIP/2.0  \r\n");
    TortureMessage intmeth = byName("intmeth");
    assertThat(intmeth.text()).contains("To: \"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f\"");
    TortureMessage escnull = byName("escnull");
    assertThat(escnull.text()).contains("sip:null-%00-null@example.com");
    TortureMessage longreq = byName("longreq");
    assertThat(longreq.bytes()).hasSize(3515);
    assertThat(new String(byName("unreason").bytes(), StandardCharsets.UTF_8))
        .startsWith("SIP/2.0 200 = 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e");
  }

  @Test
  void notationErrorsNameTheLine() {
    assertThatThrownBy(() -> RfcNotation.expand("a\n<hex>0</hex>\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("odd number");
    assertThatThrownBy(() -> RfcNotation.expand("<allOneLine>\nabc\n"))
        .hasMessageContaining("not closed");
    assertThatThrownBy(() -> RfcNotation.expand("caf\u00e9\n"))
        .hasMessageContaining("line 1 column 4")
        .hasMessageContaining("U+00E9");
  }

  @Test
  void notationExpandsJoinsHexAndRepeats() {
    assertThat(
            RfcNotation.expand(
                "<allOneLine>\nab\n<hex>00ff</hex>c\n</allOneLine>\n"
                    + "x<repeat count=3>yz</repeat>"))
        .isEqualTo(
            new byte[] {
              'a', 'b', 0, (byte) 0xff, 'c', '\r', '\n', 'x', 'y', 'z', 'y', 'z', 'y', 'z'
            });
  }

  private static TortureMessage byName(String name) {
    return TortureCorpus.rfc4475().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}

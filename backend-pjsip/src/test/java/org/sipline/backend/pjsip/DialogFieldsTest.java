package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.Transport;

/** The shim's NUL-separated dialog record, read into core's {@link DialogRecord}. */
class DialogFieldsTest {
  private static byte[] text(String... fields) {
    return (String.join("\0", fields) + "\0").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyFieldLandsWhereTheRecordWantsItRoutesInOrder() {
    byte[] t =
        text(
            "cid-1",
            "1",
            "sip:alice@127.0.0.1",
            "ltag",
            "sip:bob@127.0.0.1",
            "rtag",
            "sip:bob@127.0.0.1:5070",
            "42",
            "1",
            "127.0.0.1",
            "5080",
            "sip:127.0.0.1:5080;lr",
            "sip:127.0.0.2;lr");
    DialogRecord d = DialogFields.parse(t, t.length);
    assertThat(d)
        .isEqualTo(
            new DialogRecord(
                "cid-1",
                true,
                "sip:alice@127.0.0.1",
                "ltag",
                "sip:bob@127.0.0.1",
                "rtag",
                "sip:bob@127.0.0.1:5070",
                List.of("sip:127.0.0.1:5080;lr", "sip:127.0.0.2;lr"),
                42,
                Transport.TCP,
                "127.0.0.1",
                5080));
  }

  @Test
  void noRouteSetAndTheOtherTransports() {
    byte[] udp = text("c", "0", "sip:a@h", "l", "sip:b@h", "r", "sip:b@h", "2", "0", "h", "5060");
    assertThat(DialogFields.parse(udp, udp.length).routeSet()).isEmpty();
    assertThat(DialogFields.parse(udp, udp.length).transport()).isEqualTo(Transport.UDP);
    assertThat(DialogFields.parse(udp, udp.length).incoming()).isFalse();
    byte[] tls = text("c", "0", "sip:a@h", "l", "sip:b@h", "r", "sip:b@h", "2", "2", "h", "5061");
    assertThat(DialogFields.parse(tls, tls.length).transport()).isEqualTo(Transport.TLS);
  }

  @Test
  void aShortTornOrUnknownRecordIsRefusedNamingWhy() {
    byte[] shortOne = text("c", "0", "sip:a@h");
    assertThatThrownBy(() -> DialogFields.parse(shortOne, shortOne.length))
        .hasMessageContaining("3 fields, fewer than 11");
    byte[] torn = "c\0d".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> DialogFields.parse(torn, torn.length))
        .hasMessageContaining("not NUL-terminated");
    byte[] badTransport =
        text("c", "0", "sip:a@h", "l", "sip:b@h", "r", "sip:b@h", "2", "9", "h", "5060");
    assertThatThrownBy(() -> DialogFields.parse(badTransport, badTransport.length))
        .hasMessageContaining("transport 9");
    assertThatThrownBy(() -> DialogFields.parse(new byte[4], 5))
        .hasMessageContaining("outside 0..4");
  }
}

package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bodies of DTMF INFOs as the field sends them, and the ones we refuse. */
class DtmfInfoBodyTest {
  private static DtmfInfoBody relay(String body) {
    return DtmfInfoBody.parse("dtmf-relay", body.getBytes(StandardCharsets.UTF_8));
  }

  private static DtmfInfoBody dtmf(String body) {
    return DtmfInfoBody.parse("dtmf", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void dtmfRelayGivesSignalAndDuration() {
    assertThat(relay("Signal=5\r\nDuration=160\r\n")).isEqualTo(new DtmfInfoBody('5', 160));
  }

  @Test
  void dtmfRelayIsReadLeniently() {
    assertThat(relay("signal = #\nDURATION= 250")).isEqualTo(new DtmfInfoBody('#', 250));
    assertThat(relay("Signal=a\r\n")).isEqualTo(new DtmfInfoBody('A', 100));
    assertThat(relay("\r\nSignal=*\r\nX-Vendor=7\r\nDuration=0\r\n\r\n"))
        .isEqualTo(new DtmfInfoBody('*', 0));
  }

  @Test
  void applicationDtmfIsTheDigitAloneWithTheDefaultDuration() {
    assertThat(dtmf("5")).isEqualTo(new DtmfInfoBody('5', DtmfInfoBody.DEFAULT_DURATION_MILLIS));
    assertThat(dtmf(" d\r\n")).isEqualTo(new DtmfInfoBody('D', 100));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Duration=160|no Signal line",
        "Signal=|Signal is empty",
        "Signal=x|Signal 'x' is not a DTMF digit (one of 0123456789*#ABCD)",
        "Signal=12|Signal '12' is not a DTMF digit (one of 0123456789*#ABCD)",
        "Signal=5;Signal=6|two Signal lines",
        "Signal=5;Duration=1;Duration=2|two Duration lines",
        "Signal=5;Duration=-1|Duration '-1' is not a number of ms",
        "Signal=5;Duration=1e3|Duration '1e3' is not a number of ms",
        "Signal=5;Duration=99999999|Duration '99999999' is not a number of ms",
        "Signal=5;Duration=60001|Duration 60001 ms outside 0..60000 ms",
        "Signal 5|line 1 'Signal 5' has no '='",
      })
  void aMalformedDtmfRelayBodyIsRefusedNamingWhatIsWrong(String lines, String message) {
    assertThatThrownBy(() -> relay(lines.replace(";", "\r\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aMalformedApplicationDtmfBodyIsRefused() {
    assertThatThrownBy(() -> dtmf("55"))
        .hasMessage("body '55' is not a DTMF digit (one of 0123456789*#ABCD)");
    assertThatThrownBy(() -> dtmf("\r\n")).hasMessage("body is empty");
  }

  @Test
  void whatIsQuotedFromTheBodyIsFitForAReasonPhrase() {
    assertThatThrownBy(() -> relay("Signal=\u00e9\r\n"))
        .hasMessage("Signal '?' is not a DTMF digit (one of 0123456789*#ABCD)");
    assertThatThrownBy(() -> relay("Signal=5\r\nDuration=12\u0000\r\n"))
        .hasMessage("Duration '12?' is not a number of ms");
    assertThatThrownBy(() -> relay("Signal=" + "9".repeat(40)))
        .hasMessage(
            "Signal '99999999999999999999...' is not a DTMF digit (one of 0123456789*#ABCD)");
  }

  @Test
  void anOversizedBodyIsRefusedWithItsSize() {
    assertThatThrownBy(() -> relay("Signal=5\r\n" + "X=1\r\n".repeat(300)))
        .hasMessage("body of 1510 bytes > 1024");
  }

  @Test
  void theRelayBodyWeSendReadsBack() {
    DtmfInfoBody sent = new DtmfInfoBody('#', 250);
    assertThat(sent.relayBody()).isEqualTo("Signal=#\r\nDuration=250\r\n");
    assertThat(relay(sent.relayBody())).isEqualTo(sent);
  }

  @Test
  void onlyTheTwoDtmfSubtypesAreUnderstood() {
    assertThat(DtmfInfoBody.understands("DTMF-Relay")).isTrue();
    assertThat(DtmfInfoBody.understands("dtmf")).isTrue();
    assertThat(DtmfInfoBody.understands("sdp")).isFalse();
    assertThat(DtmfInfoBody.understands("media_control+xml")).isFalse();
  }
}

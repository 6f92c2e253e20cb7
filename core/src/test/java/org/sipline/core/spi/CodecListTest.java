package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code --codecs}: one reading of the option for every backend. */
class CodecListTest {
  private static final Function<String, Availability> ALL = n -> Availability.yes();
  private static final Function<String, Availability> NO_OPUS =
      n -> n.equals(CodecList.OPUS) ? Availability.no("libopus0 is not installed") : ALL.apply(n);

  @Test
  void namesKeepTheirOrderInAnyCaseAndSpacing() {
    assertThat(CodecList.parse(" G722 ,pcmu,PCMA", ALL)).containsExactly("g722", "pcmu", "pcma");
    assertThat(CodecList.parse("opus", ALL)).containsExactly("opus");
  }

  @Test
  void anUnknownNameIsRefusedNamingItAndTheValidOnes() {
    assertThatThrownBy(() -> CodecList.parse("pcmu,G729", ALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'codecs': unknown codec 'G729' (valid: opus, g722, pcmu, pcma)");
    assertThatThrownBy(() -> CodecList.parse("pcmu,", ALL))
        .hasMessageContaining("unknown codec ''");
  }

  @Test
  void aRepeatedNameIsRefused() {
    assertThatThrownBy(() -> CodecList.parse("pcmu,PCMU", ALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'codecs': 'pcmu' is given twice");
  }

  @Test
  void aCodecTheBackendCannotRunIsRefusedWithTheReason() {
    assertThatThrownBy(() -> CodecList.parse("opus,pcmu", NO_OPUS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'codecs': opus is not available here: libopus0 is not installed");
    assertThat(CodecList.parse("g722,pcmu", NO_OPUS)).containsExactly("g722", "pcmu");
  }

  @Test
  void theDefaultIsEveryAvailableCodecInTheDefaultOrder() {
    assertThat(CodecList.defaults(ALL)).containsExactly("opus", "g722", "pcmu", "pcma");
    assertThat(CodecList.defaults(NO_OPUS)).containsExactly("g722", "pcmu", "pcma");
  }
}

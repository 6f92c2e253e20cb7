package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class OpusParametersTest {
  @Test
  void absentOrBlankGivesRfc7587Defaults() {
    assertThat(OpusParameters.parse(null)).isEqualTo(OpusParameters.DEFAULTS);
    assertThat(OpusParameters.parse("  ")).isEqualTo(OpusParameters.DEFAULTS);
    assertThat(OpusParameters.DEFAULTS.maxBandwidthHz()).isEqualTo(24000);
  }

  @Test
  void readsWhatBaresipAndBrowsersSend() {
    OpusParameters p =
        OpusParameters.parse(
            "stereo=1;sprop-stereo=0; maxplaybackrate=16000 ;useinbandfec=1;usedtx=0;"
                + "maxaveragebitrate=28000");

    assertThat(p.maxPlaybackRate()).isEqualTo(16000);
    assertThat(p.maxBandwidthHz()).isEqualTo(8000);
    assertThat(p.inbandFec()).isTrue();
    assertThat(p.dtx()).isFalse();
    assertThat(p.maxAverageBitrate()).isEqualTo(28000);
    assertThat(p.problems()).isEmpty();
  }

  @Test
  void valuesOutOfRangeAreIgnoredWithTheReasonKept() {
    OpusParameters p =
        OpusParameters.parse("maxplaybackrate=4000;useinbandfec=yes;maxaveragebitrate=x;usedtx");

    assertThat(p.maxPlaybackRate()).isEqualTo(48000);
    assertThat(p.inbandFec()).isFalse();
    assertThat(p.maxAverageBitrate()).isZero();
    assertThat(p.problems())
        .containsExactly(
            "maxplaybackrate=4000 ignored: not a number in 8000..48000",
            "useinbandfec=yes ignored: 0 or 1 only",
            "maxaveragebitrate=x ignored: not a number in 6000..510000",
            "usedtx= ignored: 0 or 1 only");
  }

  @Test
  void aLongValueIsShortenedInTheProblem() {
    OpusParameters p = OpusParameters.parse("maxplaybackrate=" + "9".repeat(1000));

    assertThat(p.problems()).singleElement().asString().hasSizeLessThan(80);
  }

  @Property(tries = 500)
  void anyTextParsesWithoutThrowingAndStaysInRange(@ForAll String fmtp) {
    OpusParameters p = OpusParameters.parse(fmtp);

    assertThat(p.maxPlaybackRate()).isBetween(8000, 48000);
    int bitrate = p.maxAverageBitrate();
    assertThat(bitrate == 0 || (bitrate >= 6000 && bitrate <= 510000))
        .as("bitrate %d", bitrate)
        .isTrue();
  }
}
